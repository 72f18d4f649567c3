package ai.mesm.model.albert;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.io.SafetensorsFile;
import ai.mesm.model.EmotionModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reading Hugging Face ALBERT folders: what loads, and what is refused with which message. */
class AlbertCheckpointTest {
  @TempDir Path dir;

  /** A copy of the tiny checkpoint with its tensors changed by {@code edit} (name → values, insertion order kept). */
  private Path variant(String name, Consumer<Map<String, INDArray>> edit) throws IOException {
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    try (var files = Files.list(AlbertFixture.folder())) {
      for (Path f : files.toList()) Files.copy(f, folder.resolve(f.getFileName()));
    }
    SafetensorsFile original = SafetensorsFile.read(AlbertFixture.folder().resolve(AlbertCheckpoint.WEIGHTS));
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    for (String n : original.names()) tensors.put(n, original.get(n));
    edit.accept(tensors);
    Files.write(folder.resolve(AlbertCheckpoint.WEIGHTS), safetensors(tensors));
    return folder;
  }

  /** The safetensors layout: header length, JSON header, little-endian float32 data. */
  static byte[] safetensors(Map<String, INDArray> tensors) {
    JsonObject header = new JsonObject();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
      float[] values = t.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
      JsonObject o = new JsonObject();
      o.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (long s : t.getValue().shape()) shape.add(s);
      o.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(data.size());
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) b.putFloat(v);
      data.writeBytes(b.array());
      offsets.add(data.size());
      o.add("data_offsets", offsets);
      header.add(t.getKey(), o);
    }
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(data.toByteArray());
    return out.array();
  }

  private static ComputationGraph graph() throws IOException {
    return EmotionModel.graph(AlbertFixture.textSpec(16, 1e-3));
  }

  private IOException refused(Path folder) {
    return assertThrows(IOException.class, () -> AlbertCheckpoint.read(folder.toString(), new Configuration()).applyTo(graph()));
  }

  @Test
  void namesWithoutThePrefixLoadTheSameWeights() throws Exception {
    Path bare = variant("bare", t -> {
      Map<String, INDArray> renamed = new LinkedHashMap<>();
      t.forEach((k, v) -> renamed.put(k.startsWith("albert.") ? k.substring(7) : k, v));
      t.clear();
      t.putAll(renamed);
    });
    ComputationGraph fromBare = graph();
    AlbertCheckpoint.read(bare.toString(), new Configuration()).applyTo(fromBare);
    ComputationGraph fromOriginal = graph();
    AlbertWeights.Report report = AlbertCheckpoint.read(AlbertFixture.folder().toString(), new Configuration())
        .applyTo(fromOriginal);
    assertEquals(fromOriginal.params(), fromBare.params());
    assertTrue(report.skipped().contains("predictions.bias"), report.skipped().toString());
  }

  @Test
  void aMissingTensorIsNamed() throws Exception {
    String name = "albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias";
    IOException e = refused(variant("missing", t -> t.remove(name)));
    assertTrue(e.getMessage().contains("encoder.albert_layer_groups.0.albert_layers.0.ffn.bias") && e.getMessage().contains("missing"),
        e.getMessage());
  }

  @Test
  void aWrongShapeIsNamedWithBothShapes() throws Exception {
    String name = "albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight";
    IOException e = refused(variant("shape", t -> t.put(name, Nd4j.zeros(32, 31))));
    assertTrue(e.getMessage().contains("attention.query.weight") && e.getMessage().contains("[32, 31]")
        && e.getMessage().contains("[32, 32]"), e.getMessage());
  }

  @Test
  void aSecondLayerGroupIsNotSilentlyIgnored() throws Exception {
    IOException e = refused(variant("groups", t -> t.put(
        "albert.encoder.albert_layer_groups.1.albert_layers.0.ffn.bias", Nd4j.zeros(64))));
    assertTrue(e.getMessage().contains("albert_layer_groups.1"), e.getMessage());
  }

  @Test
  void aPickleOnlyFolderIsRefusedWithHowToConvertIt() throws Exception {
    Path folder = variant("pickle", t -> {});
    Files.delete(folder.resolve(AlbertCheckpoint.WEIGHTS));
    Files.write(folder.resolve(AlbertCheckpoint.PICKLE), new byte[] {(byte) 0x80, 2, 'c', 'o', 's', '\n'});
    IOException e = refused(folder);
    assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("pickle")
        && e.getMessage().contains("safe_serialization=True"), e.getMessage());
  }

  @Test
  void unsupportedConfigurationsNameTheirKey() throws Exception {
    for (String[] c : new String[][] {{"\"hidden_act\": \"gelu_new\"", "\"hidden_act\": \"swish\"", "hidden_act"},
        {"\"num_hidden_groups\": 1", "\"num_hidden_groups\": 2", "num_hidden_groups"},
        {"\"hidden_dropout_prob\": 0", "\"hidden_dropout_prob\": 0.1", "hidden_dropout_prob"},
        {"\"position_embedding_type\": \"absolute\"", "\"position_embedding_type\": \"relative_key\"", "position_embedding_type"},
        {"\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": -1e-05", "layer_norm_eps"}}) {
      Path folder = variant("config-" + c[2], t -> {});
      String json = Files.readString(folder.resolve(AlbertCheckpoint.CONFIG));
      assertTrue(json.contains(c[0]), c[0]);
      Files.writeString(folder.resolve(AlbertCheckpoint.CONFIG), json.replace(c[0], c[1]));
      IOException e = refused(folder);
      assertTrue(e.getMessage().contains(c[2]) && e.getMessage().contains("config.json"), e.getMessage());
    }
  }

  @Test
  void theVocabularyMustMatchTheConfiguration() throws Exception {
    Path folder = variant("vocab", t -> {});
    String json = Files.readString(folder.resolve(AlbertCheckpoint.CONFIG));
    Files.writeString(folder.resolve(AlbertCheckpoint.CONFIG), json.replace("\"vocab_size\": 1000", "\"vocab_size\": 1200"));
    IOException e = refused(folder);
    assertTrue(e.getMessage().contains("spiece.model") && e.getMessage().contains("1200"), e.getMessage());
  }

  @Test
  void describesTheCheckpointForTheManifest() throws Exception {
    AlbertCheckpoint c = AlbertCheckpoint.read(AlbertFixture.folder().toString(), new Configuration());
    PretrainedText text = c.describe(10);
    byte[] weights = Files.readAllBytes(AlbertFixture.folder().resolve(AlbertCheckpoint.WEIGHTS));
    assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(weights)),
        text.weightsSha256());
    assertEquals(Files.readString(AlbertFixture.folder().resolve(AlbertCheckpoint.CONFIG)), text.configJson());
    assertEquals(32, text.config().hiddenSize());
  }
}
