package ai.mesm.model.albert;

import ai.mesm.config.Secrets;
import ai.mesm.io.SafetensorsFile;
import ai.mesm.io.Sha256;
import ai.mesm.io.TextFiles;
import ai.mesm.model.text.AlbertTokenizer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A Hugging Face ALBERT folder as users download it, from any Hadoop filesystem: config.json,
 * model.safetensors, spiece.model, tokenizer_config.json and special_tokens_map.json. Read once,
 * by the driver: the weights go into the graph before training and travel with it from then on
 * (parameter averaging ships the parameters, and the trained model folder carries them), so
 * executors, evaluation and scoring never read the checkpoint again.
 */
public final class AlbertCheckpoint {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String PICKLE = "pytorch_model.bin";
  private static final long MAX_JSON = 1 << 20;
  private static final long MAX_VOCABULARY = 64L << 20;
  private static final long MAX_WEIGHTS = Integer.MAX_VALUE - 8;

  private final String location;
  private final AlbertConfig config;
  private final String configJson;
  private final String weightsSha256;
  private final SafetensorsFile weights;
  private final AlbertTokenizer tokenizer;

  private AlbertCheckpoint(String location, AlbertConfig config, String configJson, String weightsSha256,
                           SafetensorsFile weights, AlbertTokenizer tokenizer) {
    this.location = location;
    this.config = config;
    this.configJson = configJson;
    this.weightsSha256 = weightsSha256;
    this.weights = weights;
    this.tokenizer = tokenizer;
  }

  /** Reads and checks the folder; every problem is an IOException naming the file and what is wrong. */
  public static AlbertCheckpoint read(String location, Configuration hadoop) throws IOException {
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(hadoop);
    String shown = Secrets.redactUris(location);
    if (!fs.isDirectory(root)) throw new IOException(shown + ": no such folder (model.text.pretrained)");
    Path weightsFile = new Path(root, WEIGHTS);
    if (!fs.exists(weightsFile)) {
      if (fs.exists(new Path(root, PICKLE))) {
        throw new IOException(shown + ": has only " + PICKLE + ", a Python pickle, which this product never reads "
            + "(unpickling runs code from the file). Convert it once to safetensors where you trust the file, e.g. "
            + "python -c \"from transformers import AlbertModel as M; M.from_pretrained('<folder>')"
            + ".save_pretrained('<folder>', safe_serialization=True)\" (writes " + WEIGHTS + ")");
      }
      throw new IOException(shown + ": no " + WEIGHTS + " (a Hugging Face ALBERT folder: " + CONFIG + ", " + WEIGHTS
          + ", " + AlbertTokenizer.MODEL_FILE + ", " + AlbertTokenizer.CONFIG_FILE + ")");
    }
    String configJson = new String(required(fs, root, CONFIG, MAX_JSON, hadoop, shown), java.nio.charset.StandardCharsets.UTF_8);
    AlbertConfig config = AlbertConfig.parse(configJson, shown + "/" + CONFIG);
    Map<String, byte[]> tokenizerFiles = new LinkedHashMap<>();
    tokenizerFiles.put(AlbertTokenizer.MODEL_FILE, required(fs, root, AlbertTokenizer.MODEL_FILE, MAX_VOCABULARY, hadoop, shown));
    for (String optional : new String[] {AlbertTokenizer.CONFIG_FILE, AlbertTokenizer.SPECIAL_TOKENS_FILE}) {
      if (fs.exists(new Path(root, optional))) {
        tokenizerFiles.put(optional, TextFiles.read(new Path(root, optional).toString(), hadoop, MAX_JSON));
      }
    }
    AlbertTokenizer tokenizer = AlbertTokenizer.read(tokenizerFiles, shown);
    if (tokenizer.vocabSize() != config.vocabSize()) {
      throw new IOException(shown + "/" + AlbertTokenizer.MODEL_FILE + ": " + tokenizer.vocabSize() + " pieces, but " + CONFIG
          + " says vocab_size " + config.vocabSize());
    }
    byte[] bytes = required(fs, root, WEIGHTS, MAX_WEIGHTS, hadoop, shown);
    return new AlbertCheckpoint(shown, config, configJson, Sha256.hex(bytes), SafetensorsFile.read(bytes, shown + "/" + WEIGHTS),
        tokenizer);
  }

  private static byte[] required(FileSystem fs, Path root, String name, long max, Configuration hadoop, String shown)
      throws IOException {
    Path file = new Path(root, name);
    try {
      return TextFiles.read(file.toString(), hadoop, max);
    } catch (FileNotFoundException e) {
      throw new IOException(shown + ": no " + name, e);
    } catch (TextFiles.TooLarge e) {
      throw new IOException(shown + "/" + name + ": " + e.reason(), e);
    }
  }

  public AlbertConfig config() {
    return config;
  }

  public AlbertTokenizer tokenizer() {
    return tokenizer;
  }

  /** What a model spec and its manifest record of this checkpoint. */
  public PretrainedText describe(double lrFactor) {
    return new PretrainedText(config, lrFactor, location, configJson, weightsSha256);
  }

  /** Copies the encoder's weights into the text branch of {@code graph}; nothing is copied if any tensor does not fit. */
  public AlbertWeights.Report applyTo(ComputationGraph graph) throws IOException {
    return AlbertWeights.load(weights, location + "/" + WEIGHTS, graph);
  }
}
