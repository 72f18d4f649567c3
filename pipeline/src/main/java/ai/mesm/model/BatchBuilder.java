package ai.mesm.model;

import ai.mesm.data.Example;
import ai.mesm.model.layers.DenseArrays;
import ai.mesm.model.text.Encoding;
import ai.mesm.model.text.TextTokenizer;
import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns examples into padded, masked minibatches (docs/computation.md#media): crops normalised per channel as
 * (x − mean) / std on the 0–255 scale, mel chunks as stored, text as [CLS] … [SEP] ids. Sequence
 * lengths are those of the longest utterance in the batch (at least 1, so that a batch whose
 * utterances all lack a modality still has a well-formed, fully masked input). Text is left out
 * (null tokens) when the builder has no tokenizer or an example has no text, so that a model which
 * needs text can refuse the batch by name instead of reading empty sentences. Serializable: Spark
 * executors build the batches of distributed training with it.
 */
public final class BatchBuilder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TextTokenizer tokenizer;
  private final int maxTokens;
  private final int faceSize;
  private final int melValues;
  private final float[] mean;
  private final float[] std;

  /**
   * @param tokenizer null for models without text
   * @param melValues values per mel chunk (n_mels · chunk_frames)
   * @param mean      per-channel mean (R, G, B) on the 0–255 scale ({@code mesm.media.visual-normalisation})
   * @param std       per-channel std, the same scale
   */
  public BatchBuilder(TextTokenizer tokenizer, int maxTokens, int faceSize, int melValues, float[] mean,
                      float[] std) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.faceSize = faceSize;
    this.melValues = melValues;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  public Batch build(List<Example> examples) {
    if (examples.isEmpty()) throw new IllegalArgumentException("an empty batch");
    int mb = examples.size();
    for (Example e : examples) check(e);
    boolean text = tokenizer != null && examples.stream().allMatch(e -> e.text() != null);
    int classes = examples.get(0).labels().size();
    int frames = Math.max(1, examples.stream().mapToInt(Example::nFrames).max().orElse(0));
    int chunks = Math.max(1, examples.stream().mapToInt(Example::nChunks).max().orElse(0));
    int pixels = faceSize * faceSize;
    float[] tokens = new float[mb * maxTokens];
    float[] tokenMask = new float[mb * maxTokens];
    float[] visual = new float[mb * 3 * pixels * frames];
    float[] visualMask = new float[mb * frames];
    float[] audio = new float[mb * melValues * chunks];
    float[] audioMask = new float[mb * chunks];
    float[] labels = new float[mb * classes];
    for (int b = 0; b < mb; b++) {
      Example e = examples.get(b);
      if (text) {
        Encoding enc = tokenizer.encode(e.text(), maxTokens);
        for (int t = 0; t < maxTokens; t++) {
          tokens[b * maxTokens + t] = enc.ids()[t];
          tokenMask[b * maxTokens + t] = enc.mask()[t];
        }
      }
      // visual[b][feature][frame] in 'c' order: index = (b·F_all + feature)·frames + frame
      int features = 3 * pixels;
      for (int f = 0; f < e.nFrames(); f++) {
        visualMask[b * frames + f] = 1;
        int base = f * pixels * 3;
        for (int p = 0; p < pixels; p++) {
          for (int c = 0; c < 3; c++) {
            float v = ((e.frames()[base + p * 3 + c] & 0xff) - mean[c]) / std[c];
            visual[(b * features + c * pixels + p) * frames + f] = v; // HWC bytes -> CHW features
          }
        }
      }
      for (int k = 0; k < e.nChunks(); k++) {
        audioMask[b * chunks + k] = 1;
        for (int v = 0; v < melValues; v++) audio[(b * melValues + v) * chunks + k] = e.mel()[k * melValues + v];
      }
      for (int c = 0; c < classes; c++) labels[b * classes + c] = e.labels().get(c);
    }
    return new Batch(examples.stream().map(Example::utteranceId).toList(),
        text ? DenseArrays.of(tokens, mb, maxTokens) : null,
        text ? DenseArrays.of(tokenMask, mb, maxTokens) : null,
        DenseArrays.of(visual, mb, 3L * pixels, frames), DenseArrays.of(visualMask, mb, frames),
        DenseArrays.of(audio, mb, melValues, chunks), DenseArrays.of(audioMask, mb, chunks),
        DenseArrays.of(labels, mb, classes));
  }

  /** Media of another geometry than the model's (other face size or mel settings at ingest) is refused by name. */
  private void check(Example e) {
    int perFrame = 3 * faceSize * faceSize;
    if (e.frames().length != (long) e.nFrames() * perFrame) {
      throw new IllegalArgumentException(e.utteranceId() + ": " + e.frames().length + " bytes of face crops for "
          + e.nFrames() + " frames, expected " + perFrame + " per frame (" + faceSize + "x" + faceSize
          + "x3): ingested with another media.face.size than the model's?");
    }
    if (e.mel().length != (long) e.nChunks() * melValues) {
      throw new IllegalArgumentException(e.utteranceId() + ": " + e.mel().length + " mel values for " + e.nChunks()
          + " chunks, expected " + melValues + " per chunk: ingested with other media.audio settings than the model's?");
    }
  }
}
