package ai.mesm.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Small images (face crops, mel chunks, attention maps) in a grid, each with a caption under it. */
public final class Gallery {
  private static final int CAPTION = 16;
  private static final int GAP = 6;

  private Gallery() {}

  /** Images (charts, attention maps) one under the other: a cell shows one image, so several are joined. */
  public static BufferedImage column(List<BufferedImage> images) {
    return grid(images, images.stream().map(i -> "").toList(), 1, 1);
  }

  /**
   * Tiles scaled by {@code scale} (nearest neighbour: a 48-pixel crop stays sharp), row by row,
   * {@code columns} per row; every tile's cell is as large as the largest tile.
   */
  public static BufferedImage grid(List<BufferedImage> tiles, List<String> captions, int columns, int scale) {
    if (tiles.size() != captions.size()) throw new IllegalArgumentException(tiles.size() + " tiles, " + captions.size() + " captions");
    if (tiles.isEmpty()) throw new IllegalArgumentException("nothing to draw");
    int cellW = tiles.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow() * scale;
    int cellH = tiles.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow() * scale;
    int cols = Math.min(columns, tiles.size());
    int rows = (tiles.size() + cols - 1) / cols;
    BufferedImage out = new BufferedImage(cols * (cellW + GAP) + GAP, rows * (cellH + CAPTION + GAP) + GAP,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(Color.BLACK);
      for (int i = 0; i < tiles.size(); i++) {
        int x = GAP + (i % cols) * (cellW + GAP);
        int y = GAP + (i / cols) * (cellH + CAPTION + GAP);
        BufferedImage t = tiles.get(i);
        g.drawImage(t, x, y, t.getWidth() * scale, t.getHeight() * scale, null);
        g.drawString(fit(g, captions.get(i), cellW), x, y + cellH + CAPTION - 4);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static String fit(Graphics2D g, String text, int width) {
    String s = text;
    while (s.length() > 1 && g.getFontMetrics().stringWidth(s) > width) s = s.substring(0, s.length() - 1);
    return s.equals(text) ? s : s.substring(0, Math.max(1, s.length() - 1)) + "…";
  }
}
