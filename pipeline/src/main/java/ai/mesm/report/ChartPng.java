package ai.mesm.report;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

/** Charts of equal size painted into one PNG, left to right or top to bottom. */
final class ChartPng {
  private ChartPng() {}

  static byte[] sideBySide(int width, int height, XYChart... charts) throws IOException {
    return paint(width, height, true, charts);
  }

  static byte[] stacked(int width, int height, XYChart... charts) throws IOException {
    return paint(width, height, false, charts);
  }

  private static byte[] paint(int width, int height, boolean across, XYChart... charts) throws IOException {
    int n = charts.length;
    BufferedImage image = new BufferedImage(across ? n * width : width, across ? height : n * height,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      for (XYChart c : charts) {
        c.paint(g, width, height);
        g.translate(across ? width : 0, across ? 0 : height);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
