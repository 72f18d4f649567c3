package ai.mesm.model;

import ai.mesm.config.SafeName;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.Sha256;
import ai.mesm.model.text.TextTokenizer;
import ai.mesm.model.text.TextTokenizers;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model folder on any Hadoop filesystem: {@value #PARAMETERS} and {@value #UPDATER} (the
 * graph's flat parameters and optimiser state as {@link ArrayFile}s), {@value #WEIGHTS} (the
 * parameter layout they follow and the optimiser's step counters), {@value #TOKENIZER} for text
 * models, and the {@link ModelManifest} written last, so a folder without it is visibly
 * incomplete.
 *
 * <p>Model folders come from other teams and from object storage, so they are data, never code:
 * the graph is rebuilt from the manifest's {@link ModelSpec} by this code, and only numbers are
 * read into it. Nothing in a folder reaches Java deserialisation or DL4J's configuration parser
 * (which instantiates the classes a file names). Folders of earlier formats hold another graph's
 * weights and are refused with a message.
 */
public final class ModelArtifact {
  public static final String PARAMETERS = "parameters.bin";
  public static final String UPDATER = "updater.bin";
  public static final String WEIGHTS = "weights.json";
  public static final String TOKENIZER = TextTokenizer.DESCRIPTOR;
  private static final int MAX_TOKENIZER_FILE = 64 << 20;

  private ModelArtifact() {}

  /** A model read back, with its manifest. */
  public record Loaded(EmotionModel model, ModelManifest manifest) {}

  public static void save(EmotionModel model, ModelManifest manifest, String location, Configuration conf)
      throws IOException {
    if (manifest.format() != ModelManifest.FORMAT) throw new IllegalArgumentException("manifest format " + manifest.format());
    AtomicOutput out = new AtomicOutput(location, conf);
    stage(model, out);
    out.publish(manifest.json());
  }

  /** The weights (with the optimiser state) and the tokenizer into a staged output: a model folder or a checkpoint. */
  public static void stage(EmotionModel model, AtomicOutput out) throws IOException {
    ComputationGraph graph = model.graph();
    writeArray(out, PARAMETERS, graph.params());
    INDArray state = graph.getUpdater().getStateViewArray();
    if (state != null) writeArray(out, UPDATER, state);
    JsonObject weights = new JsonObject();
    weights.addProperty("layout", layout(graph));
    // Adam's bias correction reads the step counter: without it a continued run would take larger steps.
    weights.addProperty("iterations", graph.getConfiguration().getIterationCount());
    weights.addProperty("epochs", graph.getConfiguration().getEpochCount());
    out.writeStaged(WEIGHTS, weights.toString());
    if (model.tokenizer() != null) {
      for (Map.Entry<String, byte[]> file : model.tokenizer().files().entrySet()) {
        try (OutputStream o = out.createStaged(file.getKey())) {
          o.write(file.getValue());
        }
      }
    }
  }

  public static void writeArray(AtomicOutput out, String name, INDArray array) throws IOException {
    try (OutputStream o = new BufferedOutputStream(out.createStaged(name))) {
      ArrayFile.write(o, array);
    }
  }

  /** The array of {@code expectedCount} values in {@code file}, or an IOException naming the file and the problem. */
  public static INDArray readArray(FileSystem fs, Path file, long expectedCount) throws IOException {
    try (InputStream in = new BufferedInputStream(fs.open(file))) {
      return ArrayFile.read(in, expectedCount, file.toString());
    } catch (FileNotFoundException e) {
      throw new IOException(file + ": missing", e);
    }
  }

  /** The graph {@code spec} describes, with the weights and optimiser state of a folder written by {@link #stage}. */
  public static ComputationGraph readGraph(FileSystem fs, Path root, ModelSpec spec) throws IOException {
    ComputationGraph graph = build(root, spec);
    Path file = new Path(root, WEIGHTS);
    JsonObject weights = readJson(fs, file);
    try {
      if (!weights.get("layout").getAsString().equals(layout(graph))) {
        throw new IOException(file + ": the weights are laid out for another graph than the one the manifest "
            + "describes (saved by another version of the model code?)");
      }
      graph.getConfiguration().setIterationCount(weights.get("iterations").getAsInt());
      graph.getConfiguration().setEpochCount(weights.get("epochs").getAsInt());
    } catch (RuntimeException e) {
      throw new IOException(file + ": unreadable: " + e, e);
    }
    graph.setParams(readArray(fs, new Path(root, PARAMETERS), parameterCount(graph)));
    INDArray state = graph.getUpdater().getStateViewArray();
    if (state != null) state.assign(readArray(fs, new Path(root, UPDATER), state.length()));
    return graph;
  }

  /** The tokenizer of a folder written by {@link #stage}; null when it has none. */
  public static TextTokenizer readTokenizer(FileSystem fs, Path root) throws IOException {
    if (!fs.exists(new Path(root, TextTokenizer.DESCRIPTOR))) return null;
    Map<String, byte[]> files = new java.util.HashMap<>();
    for (String name : TextTokenizers.FILES) {
      Path file = new Path(root, name);
      try (InputStream in = fs.open(file)) {
        files.put(name, in.readNBytes(MAX_TOKENIZER_FILE + 1));
      } catch (FileNotFoundException e) {
        continue; // a WordPiece model has no spiece.model
      }
      if (files.get(name).length > MAX_TOKENIZER_FILE) throw new IOException(file + ": larger than a tokenizer file can be");
    }
    return TextTokenizers.fromFiles(files, root.toString());
  }

  public static Loaded load(String location, Configuration conf) throws IOException {
    ModelManifest manifest = readManifest(location, conf);
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    ModelSpec spec = manifest.spec();
    ComputationGraph graph = readGraph(fs, root, spec);
    TextTokenizer tokenizer = spec.uses(Modality.TEXT) ? readTokenizer(fs, root) : null;
    if (spec.uses(Modality.TEXT) && tokenizer == null) throw new IOException(location + ": no " + TOKENIZER);
    try {
      return new Loaded(new EmotionModel(spec, graph, tokenizer, manifest.visualMean(), manifest.visualStd()), manifest);
    } catch (IllegalArgumentException e) {
      throw new IOException(location + ": " + e.getMessage(), e);
    }
  }

  /**
   * A model folder's manifest, checked (a format this version reads, a spec, a plain model id)
   * without building the model: what a driver needs to plan work on it.
   */
  public static ModelManifest readManifest(String location, Configuration conf) throws IOException {
    return parseManifest(location, AtomicOutput.requireComplete(location, conf, "TrainJob"));
  }

  /** {@link #readManifest} of text already read from {@code location}. */
  public static ModelManifest parseManifest(String location, String json) throws IOException {
    ModelManifest manifest;
    try {
      manifest = ModelManifest.fromJson(json);
    } catch (RuntimeException e) {
      Throwable cause = e; // Gson wraps what the records' constructors say is wrong
      while (cause.getCause() != null) cause = cause.getCause();
      throw new IOException(location + ": unreadable model manifest: " + cause.getMessage(), e);
    }
    if (manifest != null && manifest.format() >= 1 && manifest.format() < ModelManifest.FORMAT) {
      throw new IOException(location + ": a model folder of format " + manifest.format() + ", saved before the "
          + "Transformer encoders equalled the reference's (their parameters differ: query/key/value biases, one "
          + "fusion weight less for a single modality); this version cannot load its weights. Train it again "
          + "(TrainJob), or score it with the release that saved it");
    }
    if (manifest == null || manifest.format() != ModelManifest.FORMAT || manifest.spec() == null) {
      throw new IOException(location + ": not a model folder of this version (manifest format "
          + (manifest == null ? "missing" : manifest.format()) + ", expected " + ModelManifest.FORMAT + ")");
    }
    if (!SafeName.isPlain(manifest.modelId())) {
      // The id names folders of scores and files of reports: "../x" would write or delete outside them.
      throw new IOException(location + ": the model id in " + AtomicOutput.MANIFEST + " must be " + SafeName.RULE
          + ", was '" + manifest.modelId() + "'");
    }
    return manifest;
  }

  /** What {@code graph.params()} holds: DL4J's numParams() leaves out vertices' parameters (fusion weights, sparse blocks). */
  public static long parameterCount(ComputationGraph graph) {
    return graph.params().length();
  }

  private static ComputationGraph build(Path root, ModelSpec spec) throws IOException {
    try {
      return EmotionModel.graph(spec);
    } catch (RuntimeException e) {
      throw new IOException(root + ": the manifest's spec does not describe a model this version can build: " + e, e);
    }
  }

  /**
   * SHA-256 of the graph's parameter names and shapes in order: two graphs with the same number of
   * parameters but another arrangement (a layer added, moved or resized by a code change) differ here,
   * so their weights are refused instead of being loaded into the wrong places.
   */
  static String layout(ComputationGraph graph) {
    StringBuilder names = new StringBuilder();
    for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) {
      names.append(p.getKey()).append(Arrays.toString(p.getValue().shape())).append('\n');
    }
    return Sha256.hex(names.toString());
  }

  private static JsonObject readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (FileNotFoundException e) {
      throw new IOException(file + ": missing", e);
    } catch (RuntimeException e) {
      throw new IOException(file + ": unreadable: " + e.getMessage(), e);
    }
  }
}
