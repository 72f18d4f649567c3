package ai.mesm.model;

import ai.mesm.io.AtomicOutput;
import ai.mesm.model.text.WordPieceTokenizer;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A model folder on any Hadoop filesystem: {@value #WEIGHTS} (DL4J's own serializer, updater state
 * included so that training can continue), {@value #TOKENIZER} for text models, and the
 * {@link ModelManifest} written last, so a folder without it is visibly incomplete.
 */
public final class ModelArtifact {
  public static final String WEIGHTS = "model.zip";
  public static final String TOKENIZER = "tokenizer.json";

  private ModelArtifact() {}

  /** A model read back, with its manifest. */
  public record Loaded(EmotionModel model, ModelManifest manifest) {}

  public static void save(EmotionModel model, ModelManifest manifest, String location, Configuration conf)
      throws IOException {
    AtomicOutput out = new AtomicOutput(location, conf);
    stage(model, out);
    out.publish(manifest.json());
  }

  /** The weights (with the optimiser state) and the tokenizer into a staged output: a model folder or a checkpoint. */
  public static void stage(EmotionModel model, AtomicOutput out) throws IOException {
    try (OutputStream o = out.createStaged(WEIGHTS)) {
      ModelSerializer.writeModel(model.graph(), o, true);
    }
    if (model.tokenizer() != null) out.writeStaged(TOKENIZER, model.tokenizer().toJson());
  }

  /** The graph of a folder written by {@link #stage}, optimiser state included. */
  public static ComputationGraph readGraph(FileSystem fs, Path root) throws IOException {
    NativeHelpers.enableUnlessDisabledByUser(); // read when the restored layers are created
    try (InputStream in = fs.open(new Path(root, WEIGHTS))) {
      return ModelSerializer.restoreComputationGraph(in, true);
    }
  }

  /** The tokenizer of a folder written by {@link #stage}; null when it has none. */
  public static WordPieceTokenizer readTokenizer(FileSystem fs, Path root) throws IOException {
    Path file = new Path(root, TOKENIZER);
    if (!fs.exists(file)) return null;
    try (InputStream in = fs.open(file)) {
      return WordPieceTokenizer.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  public static Loaded load(String location, Configuration conf) throws IOException {
    String json = AtomicOutput.requireComplete(location, conf, "TrainJob");
    ModelManifest manifest;
    try {
      manifest = ModelManifest.fromJson(json);
    } catch (JsonParseException e) {
      throw new IOException(location + ": unreadable model manifest: " + e.getMessage(), e);
    }
    if (manifest == null || manifest.format() != ModelManifest.FORMAT || manifest.spec() == null) {
      throw new IOException(location + ": not a model folder of this version (manifest format "
          + (manifest == null ? "missing" : manifest.format()) + ", expected " + ModelManifest.FORMAT + ")");
    }
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    ComputationGraph graph = readGraph(fs, root);
    List<String> expected = manifest.spec().modalities().stream().map(Modality::inputName).toList();
    if (!graph.getConfiguration().getNetworkInputs().equals(expected)) {
      throw new IOException(location + ": weights take inputs " + graph.getConfiguration().getNetworkInputs()
          + " but the manifest says " + expected);
    }
    WordPieceTokenizer tokenizer = manifest.spec().uses(Modality.TEXT) ? readTokenizer(fs, root) : null;
    if (manifest.spec().uses(Modality.TEXT) && tokenizer == null) throw new IOException(location + ": no " + TOKENIZER);
    return new Loaded(new EmotionModel(manifest.spec(), graph, tokenizer, manifest.visualMean(), manifest.visualStd()),
        manifest);
  }
}
