package ai.mesm.model.albert;

import ai.mesm.io.SafetensorsFile;
import ai.mesm.model.Modality;
import ai.mesm.model.layers.AlbertEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Puts a Hugging Face ALBERT checkpoint's tensors into the text branch of a model graph: the word
 * embeddings into the embedding layer, everything else into the {@link AlbertEncoder}. Names are
 * accepted with or without the {@code albert.} prefix; linear weights are transposed from
 * PyTorch's [out, in]. Tensors of heads (masked-LM, sentence order, pooler, classifiers) and the
 * {@code position_ids} buffer are not part of the encoder and are reported as skipped; a missing
 * tensor, a wrong shape or an unknown encoder tensor is an error naming it.
 */
public final class AlbertWeights {
  public static final String EMBEDDING_LAYER = Modality.TEXT.inputName() + "_embedding";
  public static final String ENCODER_LAYER = Modality.TEXT.inputName() + "_encoder";
  private static final String PREFIX = "albert.";
  private static final String LAYER = "encoder.albert_layer_groups.0.albert_layers.0.";
  /** Checkpoint name (without prefix) → where it goes. */
  private static final Map<String, Target> TARGETS = targets();

  private AlbertWeights() {}

  /** What was loaded and what was left out (heads, buffers), by checkpoint name. */
  public record Report(List<String> loaded, List<String> skipped) {}

  /** A graph parameter; {@code transposed} for linear weights, stored [out, in] by PyTorch. */
  private record Target(String layer, String param, boolean transposed) {
    INDArray in(ComputationGraph graph) {
      return graph.getLayer(layer).getParam(param);
    }
  }

  private static Map<String, Target> targets() {
    Map<String, Target> t = new LinkedHashMap<>();
    t.put("embeddings.word_embeddings.weight", new Target(EMBEDDING_LAYER, "W", false));
    t.put("embeddings.position_embeddings.weight", encoder("pos"));
    t.put("embeddings.token_type_embeddings.weight", encoder("type"));
    t.put("embeddings.LayerNorm.weight", encoder("embLnG"));
    t.put("embeddings.LayerNorm.bias", encoder("embLnB"));
    linear(t, "encoder.embedding_hidden_mapping_in", "map");
    linear(t, LAYER + "attention.query", "q");
    linear(t, LAYER + "attention.key", "k");
    linear(t, LAYER + "attention.value", "v");
    linear(t, LAYER + "attention.dense", "o");
    t.put(LAYER + "attention.LayerNorm.weight", encoder("attLnG"));
    t.put(LAYER + "attention.LayerNorm.bias", encoder("attLnB"));
    linear(t, LAYER + "ffn", "ffn");
    linear(t, LAYER + "ffn_output", "out");
    t.put(LAYER + "full_layer_layer_norm.weight", encoder("ffnLnG"));
    t.put(LAYER + "full_layer_layer_norm.bias", encoder("ffnLnB"));
    return t;
  }

  private static Target encoder(String param) {
    return new Target(ENCODER_LAYER, param, false);
  }

  private static void linear(Map<String, Target> t, String module, String param) {
    t.put(module + ".weight", new Target(ENCODER_LAYER, param + "W", true));
    t.put(module + ".bias", encoder(param + "B"));
  }

  /** Names of the base model that are not the encoder's: kept by Hugging Face, unused by the paper's text vector. */
  private static boolean isBaseModelExtra(String name) {
    return name.startsWith("pooler.") || name.equals("embeddings.position_ids");
  }

  /** Checks every tensor the encoder needs against the graph, then copies them in; nothing is copied on an error. */
  public static Report load(SafetensorsFile checkpoint, String file, ComputationGraph graph) throws IOException {
    Map<String, INDArray> found = new LinkedHashMap<>(); // by name without prefix
    List<String> loaded = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String name : checkpoint.names()) {
      String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
      boolean baseModel = name.startsWith(PREFIX) || bare.startsWith("embeddings.") || bare.startsWith("encoder.")
          || bare.startsWith("pooler.");
      if (TARGETS.containsKey(bare)) {
        if (found.put(bare, checkpoint.get(name)) != null) {
          throw new IOException(file + ": tensor " + bare + " is there twice (with and without the '" + PREFIX + "' prefix)");
        }
        loaded.add(name);
      } else if (!baseModel || isBaseModelExtra(bare)) {
        skipped.add(name);
      } else {
        throw new IOException(file + ": tensor " + name + " is not part of the ALBERT encoder this product implements "
            + "(one shared layer group with one layer: num_hidden_groups = inner_group_num = 1)");
      }
    }
    for (Map.Entry<String, Target> target : TARGETS.entrySet()) {
      INDArray value = found.get(target.getKey());
      if (value == null) throw new IOException(file + ": tensor " + target.getKey() + " (or " + PREFIX + target.getKey() + ") is missing");
      INDArray param = target.getValue().in(graph);
      boolean transposed = target.getValue().transposed();
      if (!sameShape(value, param, transposed)) {
        long[] expected = transposed ? new long[] {param.size(1), param.size(0)} : param.shape();
        throw new IOException(file + ": tensor " + target.getKey() + " has shape " + Arrays.toString(value.shape())
            + ", the configured encoder needs " + Arrays.toString(expected) + " (does config.json belong to these weights?)");
      }
    }
    for (Map.Entry<String, Target> target : TARGETS.entrySet()) {
      INDArray value = found.get(target.getKey());
      INDArray param = target.getValue().in(graph);
      INDArray source = target.getValue().transposed() ? value.transpose() : value;
      param.assign(source.reshape(param.shape()).castTo(param.dataType()));
    }
    return new Report(loaded, List.copyOf(new TreeSet<>(skipped)));
  }

  /** Same number of values in the same arrangement; a bias [h] fits a [1, h] parameter. */
  private static boolean sameShape(INDArray value, INDArray param, boolean transposed) {
    if (value.length() != param.length()) return false;
    if (value.rank() == 2 && param.rank() == 2) {
      return transposed ? value.size(0) == param.size(1) && value.size(1) == param.size(0)
          : value.size(0) == param.size(0) && value.size(1) == param.size(1);
    }
    return value.rank() == 1;
  }
}
