package ai.mesm.corpus;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** A static room behind the actors, different per dialog/video, so that faces are not on a flat field. */
final class Backdrop {
  private Backdrop() {}

  static BufferedImage paint(int width, int height, SplittableRandom rng) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    Color top = new Color(60 + rng.nextInt(120), 60 + rng.nextInt(120), 60 + rng.nextInt(120));
    Color bottom = top.darker().darker();
    g.setPaint(new GradientPaint(0, 0, top, 0, height, bottom));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 6; i++) {
      g.setColor(new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256), 60));
      int w = 10 + rng.nextInt(width / 3);
      int h = 10 + rng.nextInt(height / 2);
      g.fillRect(rng.nextInt(width), rng.nextInt(height), w, h);
    }
    // Sensor grain: fixed per video, enough to keep the encoder from producing flat blocks.
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int d = rng.nextInt(13) - 6;
        int r = clamp(((rgb >> 16) & 0xff) + d);
        int gg = clamp(((rgb >> 8) & 0xff) + d);
        int b = clamp((rgb & 0xff) + d);
        image.setRGB(x, y, (r << 16) | (gg << 8) | b);
      }
    }
    g.dispose();
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
