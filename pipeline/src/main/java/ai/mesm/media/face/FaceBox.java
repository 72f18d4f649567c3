package ai.mesm.media.face;

/**
 * A detected face in source-image pixels: corners (x1, y1) top-left and (x2, y2) bottom-right,
 * as floats because detectors regress sub-pixel boxes, and the detector's confidence.
 */
public record FaceBox(float x1, float y1, float x2, float y2, float score) {
  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return Math.max(0, width()) * Math.max(0, height());
  }

  /** Intersection over union with another box. */
  public double iou(FaceBox o) {
    float ix = Math.max(0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
    float iy = Math.max(0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
    double inter = (double) ix * iy;
    return inter / (area() + o.area() - inter);
  }
}
