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
    try (OutputStream o = out.createStaged(WEIGHTS)) {
      ModelSerializer.writeModel(model.graph(), o, true);
    }
    if (model.tokenizer() != null) out.writeStaged(TOKENIZER, model.tokenizer().toJson());
    out.publish(manifest.json());
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
    NativeHelpers.enableUnlessDisabledByUser(); // read when the restored layers are created
    ComputationGraph graph;
    try (InputStream in = fs.open(new Path(root, WEIGHTS))) {
      graph = ModelSerializer.restoreComputationGraph(in, true);
    }
    List<String> expected = manifest.spec().modalities().stream().map(Modality::inputName).toList();
    if (!graph.getConfiguration().getNetworkInputs().equals(expected)) {
      throw new IOException(location + ": weights take inputs " + graph.getConfiguration().getNetworkInputs()
          + " but the manifest says " + expected);
    }
    WordPieceTokenizer tokenizer = null;
    if (manifest.spec().uses(Modality.TEXT)) {
      try (InputStream in = fs.open(new Path(root, TOKENIZER))) {
        tokenizer = WordPieceTokenizer.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return new Loaded(new EmotionModel(manifest.spec(), graph, tokenizer, manifest.visualMean(), manifest.visualStd()),
        manifest);
  }
}
