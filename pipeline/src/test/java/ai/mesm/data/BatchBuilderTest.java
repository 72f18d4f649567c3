package ai.mesm.data;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.media.VisualNormalisation;
import ai.mesm.model.Batch;
import ai.mesm.model.BatchBuilder;
import ai.mesm.model.text.WordPieceTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchBuilderTest {
  static final WordPieceTokenizer TOKENIZER = new WordPieceTokenizer(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]",
      "so", "sad", "happy"));
  static final float[] MEAN = VisualNormalisation.defaults().mean();
  static final float[] STD = VisualNormalisation.defaults().std();

  /** A 2×2-pixel "face" per frame so that every value can be checked by hand. */
  static Example example(String id, String text, int frames, int chunks, int label) {
    byte[] crops = new byte[frames * 2 * 2 * 3];
    for (int i = 0; i < crops.length; i++) crops[i] = (byte) (100 + i);
    float[] mel = new float[chunks * 4];
    for (int i = 0; i < mel.length; i++) mel[i] = i + 0.5f;
    List<Integer> labels = new java.util.ArrayList<>(List.of(0, 0, 0));
    labels.set(label, 1);
    return new Example(id, text, frames, crops, chunks, mel, labels);
  }

  @Test
  void padsMasksAndNormalisesPerChannel() {
    BatchBuilder builder = new BatchBuilder(TOKENIZER, 5, 2, 4, MEAN, STD);
    Batch b = builder.build(List.of(example("a", "so sad", 2, 3, 0), example("b", "happy", 0, 1, 2)));
    assertEquals(List.of("a", "b"), b.ids());
    assertArrayEquals(new long[] {2, 12, 2}, b.visual().shape(), "[mb, 3·2·2, longest frames]");
    assertArrayEquals(new long[] {2, 4, 3}, b.audio().shape());
    assertArrayEquals(new float[] {2, 4, 5, 3, 0}, b.tokens().getRow(0).toFloatVector());
    assertArrayEquals(new float[] {1, 1, 1, 1, 0}, b.tokenMask().getRow(0).toFloatVector());
    assertArrayEquals(new float[] {1, 1}, b.visualMask().getRow(0).toFloatVector());
    assertArrayEquals(new float[] {0, 0}, b.visualMask().getRow(1).toFloatVector(), "no frames: fully masked");
    assertArrayEquals(new float[] {1, 0, 0}, b.audioMask().getRow(1).toFloatVector());
    // Frame 1 of "a", pixel (y=0, x=1) = HWC byte index 12 + 3 = 15, channel G = byte 16 -> value 116.
    INDArray v = b.visual();
    int pixel = 1;
    assertEquals((116 - 111) / 33f, v.getFloat(0, 1 * 4 + pixel, 1), 1e-6, "CHW feature index c·pixels + p");
    assertEquals((100 - MEAN[0]) / STD[0], v.getFloat(0, 0, 0), 1e-6);
    assertEquals(0f, v.getFloat(1, 0, 0), "padding stays zero");
    // mel chunk 2 of "a" holds values 8.5 .. 11.5
    assertEquals(9.5f, b.audio().getFloat(0, 1, 2), 1e-6);
    assertArrayEquals(new float[] {0, 0, 1}, b.labels().getRow(1).toFloatVector());
  }
}
