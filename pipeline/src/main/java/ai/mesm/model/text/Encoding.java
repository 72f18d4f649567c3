package ai.mesm.model.text;

import java.util.Arrays;

/** Token ids of one text, padded to a fixed length, and the mask of real tokens (1) versus padding (0). */
public record Encoding(int[] ids, int[] mask) {
  public Encoding {
    if (ids.length != mask.length) throw new IllegalArgumentException(ids.length + " ids, " + mask.length + " mask values");
  }

  public int length() {
    return Arrays.stream(mask).sum();
  }
}
