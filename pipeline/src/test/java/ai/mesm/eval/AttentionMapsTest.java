package ai.mesm.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class AttentionMapsTest {
  private static final int CAPTION = 22;
  private static final int GAP = 6;

  /** A mid-grey input, one block of 4×4 with only (row 1, col 2) kept. */
  @Test
  void keptSitesAreRedAndTheRestIsDimmed() throws Exception {
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) grey.setRGB(x, y, 0x808080);
    boolean[] kept = new boolean[16];
    kept[1 * 4 + 2] = true;
    BufferedImage img = read(AttentionMaps.png(grey, List.of(new AttentionMaps.BlockMask(4, 4, kept)), false));
    int panel = AttentionMaps.PANEL_HEIGHT; // square input: square panels
    assertEquals(2 * panel + GAP, img.getWidth());
    assertEquals(CAPTION + panel, img.getHeight());
    Color input = at(img, panel / 2, CAPTION + panel / 2);
    assertEquals(0x80, input.getRed(), "the input panel is the input");
    int x0 = panel + GAP;
    Color keptCell = at(img, x0 + (2 * panel / 4) + panel / 8, CAPTION + panel / 4 + panel / 8);
    Color otherCell = at(img, x0 + panel / 8, CAPTION + panel / 8);
    assertTrue(keptCell.getRed() > 150 && keptCell.getGreen() < 80, "kept site drawn red: " + keptCell);
    assertTrue(otherCell.getRed() < 0x80 && otherCell.getRed() == otherCell.getGreen(), "others dimmed grey: " + otherCell);
  }

  /** Spectrograms put mel band 0 at the bottom, and the kept sites of grid row 0 with it. */
  @Test
  void spectrogramRowsAreFlippedTogetherWithTheirSites() throws Exception {
    int mels = 4;
    int frames = 2;
    float[] mel = new float[2 * mels * frames]; // chunk 1 is the one drawn
    for (int m = 0; m < mels; m++) for (int t = 0; t < frames; t++) mel[mels * frames + m * frames + t] = m;
    BufferedImage s = AttentionMaps.spectrogram(mel, 1, mels, frames);
    assertEquals(0, at(s, 0, mels - 1).getRed(), "lowest band (the minimum) at the bottom, black");
    assertEquals(255, at(s, 0, 0).getRed(), "highest band (the maximum) at the top, white");
    boolean[] kept = {true, true, false, false, false, false, false, false}; // grid row 0 of 4×2
    BufferedImage img = read(AttentionMaps.png(s, List.of(new AttentionMaps.BlockMask(4, 2, kept)), true));
    int w = (img.getWidth() - GAP) / 2;
    int x = w + GAP + w / 2;
    assertTrue(at(img, x, CAPTION + AttentionMaps.PANEL_HEIGHT - 5).getRed() > 150, "row 0 drawn at the bottom");
    assertTrue(at(img, x, CAPTION + 5).getRed() < 150, "row 3 at the top not kept");
  }

  @Test
  void stepsAreSpreadOverTheUtterance() {
    assertArrayEquals(new int[] {5}, AttentionMaps.evenlySpaced(10, 1));
    assertArrayEquals(new int[] {2, 7}, AttentionMaps.evenlySpaced(10, 2));
    assertArrayEquals(new int[] {0, 1}, AttentionMaps.evenlySpaced(2, 5), "never more steps than there are");
    assertArrayEquals(new int[] {}, AttentionMaps.evenlySpaced(0, 3));
  }

  private static BufferedImage read(byte[] png) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static Color at(BufferedImage img, int x, int y) {
    return new Color(img.getRGB(x, y));
  }
}
