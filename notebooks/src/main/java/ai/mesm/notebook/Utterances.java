package ai.mesm.notebook;

import ai.mesm.data.MelBytes;
import ai.mesm.eval.AttentionMaps;
import java.awt.image.BufferedImage;
import org.apache.spark.sql.Row;

/** Pictures of one ingested utterance row (docs/data-format.md): a face crop, a mel chunk. */
public final class Utterances {
  private static final int FACE = 48;
  private static final int MEL_BINS = 128;
  private static final int CHUNK_FRAMES = 32;

  private Utterances() {}

  /** The middle face crop, or null when the utterance has no frames (visual modality missing). */
  public static BufferedImage middleFace(Row utterance) {
    int n = utterance.getAs("n_frames");
    if (n == 0) return null;
    return AttentionMaps.face(utterance.getAs("frames"), FACE, n / 2);
  }

  /** The middle mel chunk, lowest band at the bottom, grey from its 5th to 99th percentile. */
  public static BufferedImage middleMelChunk(Row utterance) {
    int chunks = utterance.getAs("n_chunks");
    float[] mel = MelBytes.of(utterance, utterance.fieldIndex("mel"), utterance.getAs("utterance_id"));
    return AttentionMaps.spectrogram(mel, chunks / 2, MEL_BINS, CHUNK_FRAMES);
  }
}
