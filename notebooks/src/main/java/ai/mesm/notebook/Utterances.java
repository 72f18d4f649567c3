package ai.mesm.notebook;

import ai.mesm.data.MelBytes;
import ai.mesm.eval.AttentionMaps;
import java.awt.image.BufferedImage;
import java.util.List;
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
    return AttentionMaps.spectrogram(mel(utterance), chunks / 2, MEL_BINS, CHUNK_FRAMES);
  }

  /** The mel values: float32 bytes, or a list of floats in ingests written before the column became bytes. */
  static float[] mel(Row utterance) {
    Object mel = utterance.get(utterance.fieldIndex("mel"));
    if (mel instanceof byte[] bytes) return MelBytes.decode(bytes, utterance.getAs("utterance_id"));
    List<Float> list = utterance.getList(utterance.fieldIndex("mel"));
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) values[i] = list.get(i);
    return values;
  }
}
