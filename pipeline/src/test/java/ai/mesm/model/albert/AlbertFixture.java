package ai.mesm.model.albert;

import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The albert-tiny checkpoint in test resources (fixtures/albert-tiny/README.md) and its reference outputs. */
public final class AlbertFixture {
  private AlbertFixture() {}

  public static Path folder() {
    try {
      return Path.of(AlbertFixture.class.getResource("/fixtures/albert-tiny/config.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The settings that make a model's text encoder the checkpoint in {@code folder} (64 tokens, as the tests train it). */
  public static java.util.Map<String, String> textEncoderSettings(Path folder) {
    return java.util.Map.of("model.text.encoder", "albert", "model.text.pretrained", folder.toString(),
        "model.text.max-length.mesm", "64");
  }

  public static AlbertConfig config() throws IOException {
    Path file = folder().resolve("config.json");
    return AlbertConfig.parse(Files.readString(file), file.toString());
  }

  public static JsonObject cases() {
    try {
      return JsonParser.parseString(Files.readString(folder().resolve("cases.json"))).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A text-only FE2E spec reading {@code tokens} tokens with the tiny ALBERT as its encoder. */
  public static ModelSpec textSpec(int tokens, double learningRate) throws IOException {
    return spec("fe2e", List.of(Modality.TEXT), tokens, learningRate);
  }

  public static ModelSpec spec(String type, List<Modality> modalities, int tokens, double learningRate) throws IOException {
    AlbertConfig config = config();
    return ModelSpec.builder().type(type).modalities(modalities).classes(6).dim(8).heads(2).layers(1).feedForward(16)
        .dropout(0.0).positionalEncoding(false).textPositions(false).vocabSize(config.vocabSize()).maxTokens(tokens)
        .faceSize(16).melBins(16).chunkFrames(16).channelDivisor(16).positiveWeights(new double[] {1, 2, 3, 0.5, 1.5, 4})
        .learningRate(learningRate).seed(7).topP(0.7).attentionGradient("reference")
        .albert(new PretrainedText(config, 10, "fixtures/albert-tiny", Files.readString(folder().resolve("config.json")),
            "test"))
        .build();
  }

  static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
    return out;
  }
}
