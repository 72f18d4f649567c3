package ai.mesm.corpus;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;

/**
 * Draws a face that shows a {@link FaceStyle}: brows, eyes and mouth carry the emotion. With a
 * photo, the actor's head is the photographed face (so that real face detectors find it) and the
 * expression is drawn over it at the usual landmark proportions.
 */
final class FacePainter {
  private final BufferedImage photo;
  private final Rectangle photoFace;

  /** @param photo a face photo, or null for drawn faces; @param photoFace the face box in it */
  FacePainter(BufferedImage photo, Rectangle photoFace) {
    this.photo = photo;
    this.photoFace = photoFace;
  }

  /**
   * @param size  face height in pixels
   * @param talk  0..1 mouth opening from speech
   * @param blink 0..1 eyelid closure
   */
  void paint(Graphics2D g, double cx, double cy, double size, FaceStyle s, Actor actor, double talk, double blink,
             boolean mirrored) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    double w = size * 0.8;
    Shape head = new Ellipse2D.Double(cx - w / 2, cy - size / 2, w, size);
    if (photo != null) {
      paintPhoto(g, cx, cy, w, size, mirrored);
    } else {
      g.setColor(actor.hair());
      g.fill(new Ellipse2D.Double(cx - w * 0.56, cy - size * 0.6, w * 1.12, size * 0.75));
      g.setColor(actor.skin());
      g.fill(head);
    }
    if (s.flush() > 0) {
      g.setColor(new Color(220, 30, 30, (int) (90 * s.flush())));
      g.fill(head);
    }
    paintEyes(g, cx, cy, size, s, blink);
    paintBrows(g, cx, cy, size, s, actor.hair());
    paintNose(g, cx, cy, size, s);
    paintMouth(g, cx, cy, size, s, talk);
  }

  private void paintPhoto(Graphics2D g, double cx, double cy, double w, double h, boolean mirrored) {
    // Widen the detected box a little so that the whole head, not just the features, is drawn.
    int px = photoFace.x - photoFace.width / 6;
    int py = photoFace.y - photoFace.height / 5;
    int pw = photoFace.width + photoFace.width / 3;
    int ph = photoFace.height + photoFace.height / 3;
    int dx1 = (int) Math.round(cx - w * 0.65);
    int dx2 = (int) Math.round(cx + w * 0.65);
    int dy1 = (int) Math.round(cy - h * 0.62);
    int dy2 = (int) Math.round(cy + h * 0.62);
    if (mirrored) {
      int t = dx1;
      dx1 = dx2;
      dx2 = t;
    }
    g.drawImage(photo, dx1, dy1, dx2, dy2, px, py, px + pw, py + ph, null);
  }

  private static void paintEyes(Graphics2D g, double cx, double cy, double size, FaceStyle s, double blink) {
    double eyeY = cy - 0.12 * size;
    double ew = 0.15 * size;
    double eh = Math.max(0.01 * size, 0.075 * size * s.eyeOpen() * (1 - blink));
    for (int side = -1; side <= 1; side += 2) {
      double ex = cx + side * 0.18 * size;
      g.setColor(new Color(245, 245, 240));
      g.fill(new Ellipse2D.Double(ex - ew / 2, eyeY - eh / 2, ew, eh));
      double r = Math.min(eh / 2, 0.035 * size);
      g.setColor(new Color(40, 30, 25));
      g.fill(new Ellipse2D.Double(ex - r, eyeY - r, 2 * r, 2 * r));
    }
  }

  private static void paintBrows(Graphics2D g, double cx, double cy, double size, FaceStyle s, Color hair) {
    double baseY = cy - 0.22 * size - s.browLift() * 0.07 * size;
    g.setColor(hair.darker());
    g.setStroke(new BasicStroke((float) Math.max(1.5, 0.035 * size), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int side = -1; side <= 1; side += 2) {
      double inner = cx + side * 0.07 * size;
      double outer = cx + side * 0.28 * size;
      double innerY = baseY - s.browTilt() * 0.06 * size;
      double outerY = baseY + s.browTilt() * 0.02 * size;
      g.draw(new Line2D.Double(inner, innerY, outer, outerY));
    }
  }

  private static void paintNose(Graphics2D g, double cx, double cy, double size, FaceStyle s) {
    g.setColor(new Color(90, 60, 50));
    g.setStroke(new BasicStroke((float) Math.max(1, 0.015 * size)));
    g.draw(new Line2D.Double(cx, cy - 0.05 * size, cx - 0.03 * size, cy + 0.1 * size));
    if (s.noseWrinkle() > 0.3) {
      for (int side = -1; side <= 1; side += 2) {
        g.draw(new Line2D.Double(cx + side * 0.05 * size, cy, cx + side * 0.1 * size, cy + 0.06 * size));
        g.draw(new Line2D.Double(cx + side * 0.06 * size, cy - 0.03 * size, cx + side * 0.12 * size, cy + 0.02 * size));
      }
    }
  }

  private static void paintMouth(Graphics2D g, double cx, double cy, double size, FaceStyle s, double talk) {
    double y = cy + 0.27 * size;
    double half = 0.16 * size * s.mouthWidth();
    double cornerY = y - s.mouthCurve() * 0.06 * size;
    double open = Math.min(1, s.mouthOpen() + 0.6 * talk) * 0.13 * size;
    GeneralPath lips = new GeneralPath();
    lips.moveTo(cx - half, cornerY);
    lips.quadTo(cx, y + s.mouthCurve() * 0.05 * size - open * 0.3, cx + half, cornerY);
    lips.quadTo(cx, y + s.mouthCurve() * 0.05 * size + open, cx - half, cornerY);
    lips.closePath();
    g.setColor(new Color(120, 20, 30));
    g.fill(lips);
    g.setColor(new Color(70, 10, 15));
    g.setStroke(new BasicStroke((float) Math.max(1.2, 0.022 * size), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(lips);
  }
}
