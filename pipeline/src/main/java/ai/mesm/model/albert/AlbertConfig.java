package ai.mesm.model.albert;

import ai.mesm.model.Bounds;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields of Hugging Face's {@code AlbertConfig} ({@code config.json}) that decide the encoder's
 * graph, with the library's defaults for absent keys. Everything the {@code albert-*-v2}
 * checkpoints use is implemented; a value this encoder would compute differently is refused by
 * {@link #parse} naming the key, before any training starts.
 */
public record AlbertConfig(int vocabSize, int embeddingSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                           int intermediateSize, String hiddenAct, int maxPositionEmbeddings, int typeVocabSize,
                           double layerNormEps, double initializerRange, int padTokenId) {
  /** GELU's tanh approximation (three names, one formula: the v2 checkpoints' gelu_new), exact GELU (v1's gelu), ReLU. */
  static final Set<String> ACTIVATIONS = Set.of("gelu_new", "gelu_fast", "gelu_pytorch_tanh", "gelu", "relu");

  public AlbertConfig {
    Bounds.within("vocab_size", vocabSize, 8, 1_000_000);
    Bounds.within("embedding_size", embeddingSize, 1, 8_192);
    Bounds.within("hidden_size", hiddenSize, 1, 8_192);
    Bounds.within("num_hidden_layers", numHiddenLayers, 1, 128);
    Bounds.within("num_attention_heads", numAttentionHeads, 1, 256);
    Bounds.within("intermediate_size", intermediateSize, 1, 65_536);
    Bounds.within("max_position_embeddings", maxPositionEmbeddings, 2, 8_192);
    Bounds.within("type_vocab_size", typeVocabSize, 1, 64);
    Bounds.within("pad_token_id", padTokenId, 0, vocabSize - 1);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
          + numAttentionHeads);
    }
    if (!ACTIVATIONS.contains(hiddenAct)) {
      throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported (supported: "
          + String.join(", ", ACTIVATIONS.stream().sorted().toList()) + ")");
    }
    if (!(layerNormEps >= 0 && layerNormEps < 1)) {
      throw new IllegalArgumentException("layer_norm_eps is " + layerNormEps + "; it must be in [0, 1) (ALBERT's is 1e-12)");
    }
  }

  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /** Multiply-adds of one forward pass over {@code tokens} tokens (attention over {@code tokens} keys each). */
  public double macsPerSequence(int tokens) {
    double perToken = (double) embeddingSize * hiddenSize
        + numHiddenLayers * (4.0 * hiddenSize * hiddenSize + 2.0 * hiddenSize * intermediateSize + 2.0 * tokens * hiddenSize);
    return perToken * tokens;
  }

  /** albert-base-v2's configuration, for benchmarks that need its size without its weights. */
  public static AlbertConfig base() {
    return new AlbertConfig(30_000, 128, 768, 12, 12, 3072, "gelu_new", 512, 2, 1e-12, 0.02, 0);
  }

  /**
   * Reads config.json. Keys of the encoder take Hugging Face's defaults when absent; values that
   * would need another network (layer groups, relative positions, dropout inside the encoder) are
   * refused with the key's name.
   */
  public static AlbertConfig parse(String json, String file) throws IOException {
    JsonObject o;
    try {
      o = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a JSON object: " + e.getMessage(), e);
    }
    try {
      String type = string(o, "model_type", "albert");
      if (!type.equals("albert")) throw new IllegalArgumentException("model_type is '" + type + "', expected albert");
      // Layer groups other than one shared group change which layers share weights: not implemented.
      requireEqual(o, "num_hidden_groups", 1);
      requireEqual(o, "inner_group_num", 1);
      // Fields of the original TF release that Hugging Face's model ignores; other values mean another architecture.
      for (Map.Entry<String, Integer> legacy : Map.of("down_scale_factor", 1, "gap_size", 0, "net_structure_type", 0,
          "num_memory_blocks", 0).entrySet()) {
        requireEqual(o, legacy.getKey(), legacy.getValue());
      }
      String positions = string(o, "position_embedding_type", "absolute");
      if (!positions.equals("absolute")) {
        throw new IllegalArgumentException("position_embedding_type '" + positions + "' is not supported (only absolute)");
      }
      for (String dropout : new String[] {"hidden_dropout_prob", "attention_probs_dropout_prob"}) {
        double p = number(o, dropout, 0.0);
        if (p != 0) {
          // The v2 checkpoints fine-tune without dropout inside the encoder; the graph has no training-only ops there.
          throw new IllegalArgumentException(dropout + " is " + p + "; only 0 is supported (as in the ALBERT v2 "
              + "checkpoints): set it to 0 in config.json to fine-tune this checkpoint without encoder dropout");
        }
      }
      return new AlbertConfig((int) number(o, "vocab_size", 30000), (int) number(o, "embedding_size", 128),
          (int) number(o, "hidden_size", 4096), (int) number(o, "num_hidden_layers", 12),
          (int) number(o, "num_attention_heads", 64), (int) number(o, "intermediate_size", 16384),
          string(o, "hidden_act", "gelu_new").toLowerCase(Locale.ROOT), (int) number(o, "max_position_embeddings", 512),
          (int) number(o, "type_vocab_size", 2), number(o, "layer_norm_eps", 1e-12), number(o, "initializer_range", 0.02),
          (int) number(o, "pad_token_id", 0));
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void requireEqual(JsonObject o, String key, int expected) {
    double v = number(o, key, expected);
    if (v != expected) throw new IllegalArgumentException(key + " is " + v + "; only " + expected + " is supported");
  }

  private static double number(JsonObject o, String key, double fallback) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) return fallback;
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException(key + " must be a number, was " + e);
    }
    return e.getAsDouble();
  }

  private static String string(JsonObject o, String key, String fallback) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) return fallback;
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(key + " must be a string, was " + e);
    }
    return e.getAsString();
  }
}
