package ai.mesm.model;

import ai.mesm.model.albert.AlbertConfig;
import ai.mesm.model.layers.AlbertEncoder;
import ai.mesm.model.layers.BatchNormRelu;
import ai.mesm.model.layers.CachedConvolution;
import ai.mesm.model.layers.FoldedCnn;
import ai.mesm.model.layers.FramesToSequence;
import ai.mesm.model.layers.LogitFusion;
import ai.mesm.model.layers.MaxPool2x2;
import ai.mesm.model.layers.MesmSparse;
import ai.mesm.model.layers.SequenceToFrames;
import ai.mesm.model.layers.SinusoidalPositions;
import ai.mesm.model.layers.TransformerEncoder;
import ai.mesm.model.loss.WeightedBceWithLogits;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The FE2E network of docs/computation.md#fe2e as a DL4J computation graph. Per modality: visual and audio go
 * sequence → {@link SequenceToFrames} → CNN ({@link FeatureCnn}, conv + BatchNorm + ReLU, max-pool)
 * → Linear(1024) → ReLU → Linear(dim) → {@link FramesToSequence}; text goes through a token
 * embedding with {@link SinusoidalPositions} (audio and visual without, as the reference); then a
 * {@link TransformerEncoder} (CLS out, dropout inside its layers) and a Linear(classes) head.
 * {@link LogitFusion} sums the heads with learned weights (a single modality's head is the
 * output) and the loss layer applies {@link WeightedBceWithLogits}. The graph's inputs are the configured
 * modalities in T, A, V order; its output is the fused logits.
 */
public final class Fe2eGraph {
  public static final String OUTPUT = "loss";
  static final int HIDDEN = 1024;

  static {
    NativeHelpers.enableUnlessDisabledByUser();
  }

  private Fe2eGraph() {}

  public static ComputationGraphConfiguration build(ModelSpec spec, DataType dataType) {
    return build(spec, dataType, new Adam(spec.learningRate()));
  }

  /** With another updater: gradient checks need {@code NoOp}. */
  public static ComputationGraphConfiguration build(ModelSpec spec, DataType dataType, IUpdater updater) {
    return build(spec, dataType, updater, false);
  }

  /**
   * The same network for inference only ({@link InferenceGraph}): each convolution + BatchNorm + ReLU
   * of the CNNs is one convolution with a bias and ReLU, named as the training graph's convolution;
   * every other vertex keeps its name and its parameter layout.
   */
  public static ComputationGraphConfiguration buildFolded(ModelSpec spec, DataType dataType) {
    return build(spec, dataType, new Adam(spec.learningRate()), true);
  }

  private static ComputationGraphConfiguration build(ModelSpec spec, DataType dataType, IUpdater updater,
                                                     boolean folded) {
    CnnForm form = CnnForm.of(folded, dataType);
    GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .dataType(dataType)
        .updater(updater)
        .weightInit(WeightInit.XAVIER)
        .convolutionMode(ConvolutionMode.Truncate)
        .graphBuilder();
    List<String> heads = new ArrayList<>();
    List<InputType> inputTypes = new ArrayList<>();
    for (Modality m : spec.modalities()) {
      String in = m.inputName();
      g.addInputs(in);
      inputTypes.add(switch (m) {
        case TEXT -> InputType.recurrent(spec.vocabSize(), spec.maxTokens());
        case AUDIO -> InputType.recurrent(spec.audioFeatures());
        case VISUAL -> InputType.recurrent(spec.visualFeatures());
      });
      if (m == Modality.TEXT && spec.albert() != null) {
        albertText(g, in, spec, updater);
      } else {
        String sequence = switch (m) {
          case TEXT -> {
            // N(0, 1) as PyTorch's nn.Embedding: token vectors of the same scale as the sinusoidal positions.
            g.addLayer(in + "_embedding", new EmbeddingSequenceLayer.Builder().nIn(spec.vocabSize()).nOut(spec.dim())
                .inputLength(spec.maxTokens()).weightInit(new NormalDistribution(0, 1)).build(), in);
            yield in + "_embedding";
          }
          case AUDIO -> perStepCnn(g, in, spec, 1, spec.melBins(), spec.chunkFrames(), form);
          case VISUAL -> perStepCnn(g, in, spec, 3, spec.faceSize(), spec.faceSize(), form);
        };
        transformer(g, m, spec, sequence);
        g.addLayer(in + "_head", new DenseLayer.Builder().nOut(spec.classes()).activation(Activation.IDENTITY).build(),
            in + "_encoder");
      }
      heads.add(in + "_head");
    }
    // As the reference, a single modality's head is the output: there is nothing to fuse.
    String logits = heads.get(0);
    if (heads.size() > 1) {
      g.addVertex("fusion", new LogitFusion(heads.size(), spec.classes()), heads.toArray(String[]::new));
      logits = "fusion";
    }
    g.addLayer(OUTPUT, new LossLayer.Builder().lossFunction(new WeightedBceWithLogits(spec.positiveWeights()))
        .activation(Activation.IDENTITY).build(), logits);
    g.setOutputs(OUTPUT);
    g.setInputTypes(inputTypes.toArray(InputType[]::new));
    return g.build();
  }

  /** How the CNNs are built: for training (convolution, BatchNorm + ReLU), or folded as DL4J layers or one native vertex. */
  private enum CnnForm {
    TRAINING, FOLDED_LAYERS, FOLDED_NATIVE;

    static CnnForm of(boolean folded, DataType dataType) {
      if (!folded) return TRAINING;
      return FoldedCnn.available(dataType) ? FOLDED_NATIVE : FOLDED_LAYERS;
    }
  }

  /** The Transformer encoder (CLS out) over one modality's sequence, with sinusoidal positions where the spec asks. */
  private static void transformer(GraphBuilder g, Modality m, ModelSpec spec, String sequence) {
    TransformerEncoder encoder = new TransformerEncoder(spec.dim(), spec.heads(), spec.layers(), spec.feedForward(),
        spec.dropout());
    boolean positions = m == Modality.TEXT ? spec.textPositions() : spec.positionalEncoding();
    if (positions) {
      g.addLayer(m.inputName() + "_encoder", encoder, new SinusoidalPositions(), sequence);
    } else {
      g.addLayer(m.inputName() + "_encoder", encoder, sequence);
    }
  }

  /**
   * The paper's text branch: ALBERT's word embeddings, the {@link AlbertEncoder} ([CLS] of the last
   * layer) and the text head, all learning at the base rate divided by the spec's factor.
   */
  private static void albertText(GraphBuilder g, String in, ModelSpec spec, IUpdater updater) {
    AlbertConfig config = spec.albert().config();
    IUpdater slower = updater.clone();
    if (slower.hasLearningRate()) slower.setLrAndSchedule(spec.learningRate() / spec.albert().lrFactor(), null);
    g.addLayer(in + "_embedding", new EmbeddingSequenceLayer.Builder().nIn(config.vocabSize()).nOut(config.embeddingSize())
        .inputLength(spec.maxTokens()).hasBias(false).weightInit(new NormalDistribution(0, config.initializerRange()))
        .updater(slower).build(), in);
    g.addLayer(in + "_encoder", new AlbertEncoder(config, spec.maxTokens(), slower), in + "_embedding");
    g.addLayer(in + "_head", new DenseLayer.Builder().nOut(spec.classes()).activation(Activation.IDENTITY)
        .updater(slower).build(), in + "_encoder");
  }

  /**
   * Only the feature-extraction CNN of one image-like modality, from the masked sequence to the
   * last pooled feature map (output "cnn"): what the benchmark times to report achieved GFLOP/s.
   */
  public static ComputationGraphConfiguration featureExtractor(ModelSpec spec, Modality modality, DataType dataType) {
    return featureExtractor(spec, modality, dataType, FeatureCnn.layers(spec.channelDivisor()));
  }

  /** The same with only the first {@code layers} of the CNN (MESM's dense stem: {@link FeatureCnn#MESM_DENSE_LAYERS}). */
  public static ComputationGraphConfiguration featureExtractor(ModelSpec spec, Modality modality, DataType dataType,
                                                               List<FeatureCnn.Layer> layers) {
    return featureExtractor(spec, modality, dataType, layers, false);
  }

  /**
   * The same in the frozen graph's form ({@link InferenceGraph#fold(ComputationGraph, ComputationGraphConfiguration)}
   * fills it from a training-form extractor): what evaluation and scoring run.
   */
  public static ComputationGraphConfiguration foldedFeatureExtractor(ModelSpec spec, Modality modality,
                                                                     DataType dataType, List<FeatureCnn.Layer> layers) {
    return featureExtractor(spec, modality, dataType, layers, true);
  }

  private static ComputationGraphConfiguration featureExtractor(ModelSpec spec, Modality modality, DataType dataType,
                                                                List<FeatureCnn.Layer> layers, boolean folded) {
    if (modality == Modality.TEXT) throw new IllegalArgumentException("text has no CNN");
    GraphBuilder g = new NeuralNetConfiguration.Builder().seed(spec.seed()).dataType(dataType)
        .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Truncate).graphBuilder();
    String in = modality.inputName();
    g.addInputs(in);
    CnnForm form = CnnForm.of(folded, dataType);
    int divisor = spec.channelDivisor();
    String last = modality == Modality.AUDIO ? cnn(g, in, divisor, layers, 1, spec.melBins(), spec.chunkFrames(), form)
        : cnn(g, in, divisor, layers, 3, spec.faceSize(), spec.faceSize(), form);
    g.setOutputs(last);
    g.setInputTypes(InputType.recurrent(modality == Modality.AUDIO ? spec.audioFeatures() : spec.visualFeatures()));
    return g.build();
  }

  /** Adds the per-step CNN and projections for one image-like modality; returns the sequence vertex's name. */
  private static String perStepCnn(GraphBuilder g, String in, ModelSpec spec, int channels, int height, int width,
                                   CnnForm form) {
    List<FeatureCnn.Layer> layers = FeatureCnn.layers(spec.channelDivisor());
    String previous;
    if (spec.isMesm()) {
      // MESM: the dense stem, then the cross-modal sparse blocks with the text CLS vector as query.
      String stem = cnn(g, in, spec.channelDivisor(), layers.subList(0, FeatureCnn.MESM_DENSE_LAYERS), channels, height,
          width, form);
      previous = in + "_sparse";
      g.addVertex(previous, new MesmSparse(spec.channelDivisor(), spec.textVectorSize(), spec.topP(), spec.attentionMode()), stem,
          Modality.TEXT.inputName() + "_encoder", in);
    } else {
      previous = cnn(g, in, spec.channelDivisor(), layers, channels, height, width, form);
    }
    g.addLayer(in + "_fc1", new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.RELU).build(), previous);
    g.addLayer(in + "_fc2", new DenseLayer.Builder().nOut(spec.dim()).activation(Activation.IDENTITY).build(),
        in + "_fc1");
    g.addVertex(in + "_sequence", new FramesToSequence(), in + "_fc2", in);
    return in + "_sequence";
  }

  /**
   * Real steps of the sequence → the CNN; returns the last layer's name. Folded, the CNN is one
   * {@link FoldedCnn} vertex where its native kernel runs, else one DL4J convolution per convolution.
   */
  private static String cnn(GraphBuilder g, String in, int divisor, List<FeatureCnn.Layer> layers, int channels,
                            int height, int width, CnnForm form) {
    g.addVertex(in + "_frames", new SequenceToFrames(channels, height, width), in);
    String previous = in + "_frames";
    if (form == CnnForm.FOLDED_NATIVE) {
      // MESM's stem hands its map to the sparse blocks, which read it as site rows: channels last.
      boolean stem = layers.size() == FeatureCnn.MESM_DENSE_LAYERS;
      g.addVertex(in + "_cnn", new FoldedCnn(divisor, layers.size(), channels, stem), previous);
      return in + "_cnn";
    }
    int i = 0;
    for (FeatureCnn.Layer layer : layers) {
      String name = in + "_cnn" + i++;
      if (layer.isPool()) {
        g.addVertex(name, new MaxPool2x2(), previous);
      } else {
        int pad = layer.kernel() / 2;
        if (form == CnnForm.FOLDED_LAYERS) {
          g.addLayer(name, new ConvolutionLayer.Builder(layer.kernel(), layer.kernel()).padding(pad, pad)
              .nOut(layer.outChannels()).hasBias(true).activation(Activation.RELU).build(), previous);
          previous = name;
          continue;
        }
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(layer.kernel(), layer.kernel()).padding(pad, pad)
            .nOut(layer.outChannels()).hasBias(false).activation(Activation.IDENTITY).weightInit(WeightInit.RELU);
        boolean first = previous.equals(in + "_frames");
        g.addLayer(name, first ? CachedConvolution.first(conv) : CachedConvolution.of(conv), previous);
        // BatchNorm with its ReLU in one layer, named as the BatchNorm alone was (saved models load unchanged).
        g.addLayer(name + "_bn", new BatchNormRelu(), name);
        name = name + "_bn";
      }
      previous = name;
    }
    return previous;
  }
}
