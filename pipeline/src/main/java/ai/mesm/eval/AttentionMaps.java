package ai.mesm.eval;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Drawings in the manner of the paper's Figures 3–4: the input (a face crop or a mel-spectrogram
 * chunk), then per sparse block the input again, dimmed, with the sites the block's nucleus mask
 * kept in red: the points computed by the next sparse layer.
 */
public final class AttentionMaps {
  static final int PANEL_HEIGHT = 192;
  private static final int MIN_PANEL_WIDTH = 128;
  private static final int CAPTION = 22;
  private static final int GAP = 6;
  static final Color KEPT = new Color(230, 20, 20);

  private AttentionMaps() {}

  /** One block's grid for one frame: kept[row · width + col] is true where the block kept the site. */
  public record BlockMask(int height, int width, boolean[] kept) {
    public BlockMask {
      if (kept.length != height * width) throw new IllegalArgumentException(kept.length + " flags for " + height + "x" + width);
    }

    public int keptCount() {
      int n = 0;
      for (boolean k : kept) if (k) n++;
      return n;
    }
  }

  /** Frame `frame` of an utterance's face crops (uint8 HWC, size × size × 3 each) as an RGB image. */
  public static BufferedImage face(byte[] crops, int size, int frame) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int base = frame * size * size * 3;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = base + (y * size + x) * 3;
        img.setRGB(x, y, (crops[i] & 0xff) << 16 | (crops[i + 1] & 0xff) << 8 | (crops[i + 2] & 0xff));
      }
    }
    return img;
  }

  /**
   * Chunk `chunk` of an utterance's mel chunks ([chunk][mel][frame]) in grey from its 5th to its
   * 99th percentile (a few loud bins would otherwise leave the rest black), time to the right and
   * the lowest mel band at the bottom (so rows are flipped: see {@link #png}).
   */
  public static BufferedImage spectrogram(float[] mel, int chunk, int melBins, int chunkFrames) {
    int base = chunk * melBins * chunkFrames;
    float[] sorted = java.util.Arrays.copyOfRange(mel, base, base + melBins * chunkFrames);
    java.util.Arrays.sort(sorted);
    float lo = sorted[(int) (0.05 * (sorted.length - 1))];
    float hi = sorted[(int) (0.99 * (sorted.length - 1))];
    float range = hi > lo ? hi - lo : 1;
    BufferedImage img = new BufferedImage(chunkFrames, melBins, BufferedImage.TYPE_INT_RGB);
    for (int m = 0; m < melBins; m++) {
      for (int t = 0; t < chunkFrames; t++) {
        float v = Math.max(0f, Math.min(1f, (mel[base + m * chunkFrames + t] - lo) / range));
        int g = Math.round(255 * v);
        img.setRGB(t, melBins - 1 - m, g << 16 | g << 8 | g);
      }
    }
    return img;
  }

  /**
   * @param flipRows true when the input image shows grid row 0 at the bottom (spectrograms)
   */
  public static byte[] png(BufferedImage input, List<BlockMask> blocks, boolean flipRows) throws IOException {
    int w = Math.max(MIN_PANEL_WIDTH, Math.round(PANEL_HEIGHT * input.getWidth() / (float) input.getHeight()));
    int panels = blocks.size() + 1;
    BufferedImage out = new BufferedImage(panels * w + (panels - 1) * GAP, CAPTION + PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      panel(g, input, 0, w, "input", 1f);
      for (int b = 0; b < blocks.size(); b++) {
        BlockMask m = blocks.get(b);
        int x = (b + 1) * (w + GAP);
        panel(g, input, x, w, String.format(Locale.ROOT, "block %d: %d/%d", b + 1, m.keptCount(), m.kept().length), 0.45f);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.75f));
        g.setColor(KEPT);
        for (int r = 0; r < m.height(); r++) {
          int row = flipRows ? m.height() - 1 - r : r;
          int y0 = CAPTION + row * PANEL_HEIGHT / m.height();
          int y1 = CAPTION + (row + 1) * PANEL_HEIGHT / m.height();
          for (int c = 0; c < m.width(); c++) {
            if (!m.kept()[r * m.width() + c]) continue;
            int x0 = x + c * w / m.width();
            g.fillRect(x0, y0, x + (c + 1) * w / m.width() - x0, y1 - y0);
          }
        }
        g.setComposite(AlphaComposite.SrcOver);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(out, "png", bytes);
    return bytes.toByteArray();
  }

  private static void panel(Graphics2D g, BufferedImage input, int x, int w, String caption, float brightness) {
    g.setColor(Color.BLACK);
    g.drawString(caption, x + 2, CAPTION - 6);
    g.drawImage(input, x, CAPTION, w, PANEL_HEIGHT, null);
    if (brightness < 1) {
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 1 - brightness));
      g.setColor(Color.BLACK);
      g.fillRect(x, CAPTION, w, PANEL_HEIGHT);
      g.setComposite(AlphaComposite.SrcOver);
    }
  }

  /** k of n steps spread over the utterance: the middle one for k = 1. */
  public static int[] evenlySpaced(int n, int k) {
    int[] out = new int[Math.min(n, k)];
    for (int j = 0; j < out.length; j++) out[j] = (int) ((j + 0.5) * n / out.length);
    return out;
  }
}
