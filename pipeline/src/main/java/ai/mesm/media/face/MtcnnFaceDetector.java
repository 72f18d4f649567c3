package ai.mesm.media.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MTCNN face detection with the semantics of facenet-pytorch 2.x, which the paper's code used
 * (see the test fixtures' README): image pyramid from 12/min_face by the factor, P-Net proposals
 * (stride 2, cell 12) with NMS 0.5 per scale and 0.7 overall, regression and squaring, R-Net on
 * 24×24 and O-Net on 48×48 area-resampled crops, NMS 0.7 and 0.7 "Min", largest box returned.
 * Weights come from user-supplied safetensors files; nothing is downloaded.
 */
public final class MtcnnFaceDetector implements FaceDetector {
  private final MtcnnNets nets;
  private final int minFace;
  private final float[] thresholds;
  private final float factor;
  /** Pyramid levels P-Net has run on so far (what the searches' restrictions save; read by tests). */
  private long levelsSearched;
  /**
   * The frame being searched, as sums of its pixels (reused: a detector serves one thread), built
   * by the native kernel where the networks run on it.
   */
  private final PixelSums pixels;
  /** The networks' inputs, kept from search to search like the layers' outputs: a level's cells, R-Net's and O-Net's crops. */
  private float[] cells;
  private float[] rnetCrops;
  private float[] onetCrops;

  /** A candidate: corners, score, and the regression offsets P-Net gave it. */
  private record Box(double x1, double y1, double x2, double y2, double score, double[] reg) {
    double area() {
      return (x2 - x1) * (y2 - y1);
    }
  }

  /** facenet-pytorch's defaults: smallest face 20 px, thresholds 0.6 / 0.7 / 0.7, pyramid factor 0.709. */
  private static final int MIN_FACE = 20;
  private static final float[] THRESHOLDS = {0.6f, 0.7f, 0.7f};
  private static final float FACTOR = 0.709f;

  /** With the weights shipped in the pipeline jar and facenet-pytorch's defaults. */
  public MtcnnFaceDetector() throws IOException {
    this(MtcnnNets.shipped(), MIN_FACE, THRESHOLDS, FACTOR);
  }

  /** With the weights in a local folder (pnet/rnet/onet.safetensors) and facenet-pytorch's defaults. */
  public MtcnnFaceDetector(Path weightsDir) throws IOException {
    this(MtcnnNets.fromFolder(weightsDir), MIN_FACE, THRESHOLDS, FACTOR);
  }

  MtcnnFaceDetector(MtcnnNets nets, int minFace, float[] thresholds, float factor) {
    this.nets = nets;
    this.pixels = new PixelSums(nets.nativeLevel());
    this.minFace = minFace;
    this.thresholds = thresholds.clone();
    this.factor = factor;
  }

  @Override
  public Optional<FaceBox> detectLargest(BufferedImage image) {
    return search(image, 0);
  }

  /**
   * Searches the whole frame at the pyramid levels where a face of {@code smallestSide} or more
   * fits P-Net's cell (at most about two and a half cells), skipping the fine levels that look for
   * smaller faces and cost most (the finest level alone is about half of a full search); the whole
   * pyramid when that finds nothing.
   */
  @Override
  public Optional<FaceBox> detectLargest(BufferedImage image, double smallestSide) {
    Optional<FaceBox> found = search(image, smallestSide);
    return found.isPresent() || smallestSide <= 0 ? found : search(image, 0);
  }

  /** The full search at the levels where a face of {@code smallestSide} fits (all levels for 0). */
  private Optional<FaceBox> search(BufferedImage image, double smallestSide) {
    int w = image.getWidth();
    int h = image.getHeight();
    List<Level> levels = new ArrayList<>();
    for (double scale : pyramid(w, h)) {
      if (smallestSide * scale / 12 > TRACK_LARGEST) continue;
      int hs = (int) (h * scale + 1);
      int ws = (int) (w * scale + 1);
      levels.add(new Level(scale, hs, ws, 0, 0, hs, ws));
    }
    if (levels.isEmpty()) return Optional.empty();
    pixels.load(image);
    return largest(detect(levels));
  }

  /**
   * Searches the previous face's neighbourhood only: its box widened by half its side each way,
   * at the pyramid levels of the full search where a face of half to twice its side fills about
   * P-Net's 12-pixel cell. Each level's window is cut out of that level as the full search
   * computes it (same cells, an even offset so P-Net's stride lines up), and R-Net and O-Net read
   * the same full-frame pixels, so a face found here is what the full search would propose near
   * it; what is skipped is the frame far from the face and the levels that look for much smaller
   * or larger faces.
   */
  @Override
  public Optional<FaceBox> detectNear(BufferedImage image, FaceBox previous) {
    int w = image.getWidth();
    int h = image.getHeight();
    double side = Math.max(previous.width(), previous.height());
    double x0 = previous.x1() - TRACK_MARGIN * side;
    double y0 = previous.y1() - TRACK_MARGIN * side;
    double x1 = previous.x2() + TRACK_MARGIN * side;
    double y1 = previous.y2() + TRACK_MARGIN * side;
    List<Level> levels = new ArrayList<>();
    for (double scale : pyramid(w, h)) {
      double cells = side * scale / 12;
      if (cells < TRACK_SMALLEST || cells > TRACK_LARGEST) continue;
      int hs = (int) (h * scale + 1);
      int ws = (int) (w * scale + 1);
      int top = Math.max(0, (int) Math.floor(y0 * scale) - 1) & ~1;
      int left = Math.max(0, (int) Math.floor(x0 * scale) - 1) & ~1;
      int rows = Math.min(hs, (int) Math.ceil(y1 * scale) + 1) - top;
      int cols = Math.min(ws, (int) Math.ceil(x1 * scale) + 1) - left;
      if (rows >= 12 && cols >= 12) levels.add(new Level(scale, hs, ws, top, left, rows, cols));
    }
    if (levels.isEmpty()) return Optional.empty();
    // The window and what R-Net and O-Net usually read around it; a box reaching further loads the whole frame.
    double reach = TRACK_MARGIN + 0.5;
    pixels.load(image, (int) Math.floor(previous.y1() - reach * side), (int) Math.floor(previous.x1() - reach * side),
        (int) Math.ceil(previous.y2() + reach * side), (int) Math.ceil(previous.x2() + reach * side));
    return largest(detect(levels));
  }

  /** How far, in sides of the previous face, the search reaches beyond its box on each side. */
  private static final double TRACK_MARGIN = 0.5;
  /** The sizes, in P-Net cells, a tracked face may have at the levels searched: half to twice the cell over its step. */
  private static final double TRACK_SMALLEST = 0.5;
  private static final double TRACK_LARGEST = 2.0 / 0.709;

  /**
   * A pyramid level (the frame resampled to hs × ws by the scale) and the window of its cells
   * searched: rows from top, columns from left.
   */
  private record Level(double scale, int hs, int ws, int top, int left, int rows, int cols) {}

  /** The scales of the full search: from 12/min-face by the factor while the shorter side stays at least 12 px. */
  private double[] pyramid(int w, int h) {
    java.util.stream.DoubleStream.Builder scales = java.util.stream.DoubleStream.builder();
    double m = 12.0 / minFace;
    double minl = Math.min(h, w) * m;
    for (double scale = m; minl >= 12; scale *= factor, minl *= factor) scales.add(scale);
    return scales.build().toArray();
  }

  private static Optional<FaceBox> largest(List<Box> boxes) {
    return boxes.stream().max(Comparator.comparingDouble(Box::area))
        .map(b -> new FaceBox((float) b.x1, (float) b.y1, (float) b.x2, (float) b.y2, (float) b.score));
  }

  long levelsSearched() {
    return levelsSearched;
  }

  private List<Box> detect(List<Level> levels) {
    levelsSearched += levels.size();
    try (OneNativeThread one = new OneNativeThread()) {
      return stages(pixels, levels);
    } catch (IOException e) {
      throw new IllegalStateException("MTCNN weights: " + e.getMessage(), e);
    }
  }

  private List<Box> stages(PixelSums rgb, List<Level> levels) throws IOException {
    int w = rgb.frameWidth();
    int h = rgb.frameHeight();
    List<Box> boxes = new ArrayList<>();
    for (Level l : levels) {
      int count = 3 * l.rows * l.cols;
      cells = MtcnnKernels.atLeast(cells, count);
      area(rgb, 0, 0, h, w, l.hs, l.ws, l.top, l.left, l.rows, l.cols, cells, 0);
      normalise(cells, 0, count);
      MtcnnNets.Heads out = nets.pnet(cells, 1, l.rows, l.cols);
      boxes.addAll(nms(proposals(out, l.scale, l.left / 2, l.top / 2), 0.5, false));
    }
    boxes = nms(boxes, 0.7, false);
    List<Box> refined = new ArrayList<>();
    for (Box b : boxes) {
      double rw = b.x2 - b.x1;
      double rh = b.y2 - b.y1;
      refined.add(square(new Box(b.x1 + b.reg[0] * rw, b.y1 + b.reg[1] * rh, b.x2 + b.reg[2] * rw,
          b.y2 + b.reg[3] * rh, b.score, null)));
    }
    if (refined.isEmpty()) return refined;

    rnetCrops = crops(rgb, refined, 24, w, h, rnetCrops);
    MtcnnNets.Heads r = nets.rnet(rnetCrops, refined.size());
    float[] rReg = r.regression();
    float[] rScore = r.probability();
    List<Box> second = new ArrayList<>();
    for (int i = 0; i < refined.size(); i++) {
      double score = rScore[i];
      if (score > thresholds[1]) {
        Box b = refined.get(i);
        second.add(new Box(b.x1, b.y1, b.x2, b.y2, score, row(rReg, i, 4)));
      }
    }
    second = nms(second, 0.7, false);
    List<Box> squared = new ArrayList<>();
    for (Box b : second) squared.add(square(regress(b, b.reg)));
    if (squared.isEmpty()) return squared;

    onetCrops = crops(rgb, squared, 48, w, h, onetCrops);
    MtcnnNets.Heads o = nets.onet(onetCrops, squared.size());
    float[] oReg = o.regression();
    float[] oScore = o.probability();
    List<Box> third = new ArrayList<>();
    for (int i = 0; i < squared.size(); i++) {
      double score = oScore[i];
      if (score > thresholds[2]) {
        Box b = squared.get(i);
        third.add(regress(new Box(b.x1, b.y1, b.x2, b.y2, score, null), row(oReg, i, 4)));
      }
    }
    return nms(third, 0.7, true);
  }

  /** P-Net cells whose face probability reaches the first threshold, mapped back to image pixels. */
  private List<Box> proposals(MtcnnNets.Heads pnet, double scale, int dx, int dy) {
    List<Box> out = new ArrayList<>();
    int hh = pnet.h();
    int ww = pnet.w();
    float[] probs = pnet.probability();
    float[] regs = pnet.regression();
    int plane = hh * ww;
    for (int y = 0; y < hh; y++) {
      for (int x = 0; x < ww; x++) {
        int at = y * ww + x;
        double p = probs[at];
        if (p < thresholds[0]) continue;
        double[] offsets = {regs[at], regs[plane + at], regs[2 * plane + at], regs[3 * plane + at]};
        int cx = x + dx;
        int cy = y + dy;
        out.add(new Box(Math.floor((2.0 * cx + 1) / scale), Math.floor((2.0 * cy + 1) / scale),
            Math.floor((2.0 * cx + 12) / scale), Math.floor((2.0 * cy + 12) / scale), p, offsets));
      }
    }
    return out;
  }

  /** Row i of an [N, width] array read into floats, as doubles. */
  private static double[] row(float[] values, int i, int width) {
    double[] out = new double[width];
    for (int k = 0; k < width; k++) out[k] = values[i * width + k];
    return out;
  }

  /** bbreg: offsets are fractions of the box size counted inclusively (+1), as the reference does. */
  private static Box regress(Box b, double[] reg) {
    double w = b.x2 - b.x1 + 1;
    double h = b.y2 - b.y1 + 1;
    return new Box(b.x1 + reg[0] * w, b.y1 + reg[1] * h, b.x2 + reg[2] * w, b.y2 + reg[3] * h, b.score, reg);
  }

  /** rerec: the square of the longer side, centred on the box. */
  private static Box square(Box b) {
    double w = b.x2 - b.x1;
    double h = b.y2 - b.y1;
    double l = Math.max(w, h);
    double x1 = b.x1 + w * 0.5 - l * 0.5;
    double y1 = b.y1 + h * 0.5 - l * 0.5;
    return new Box(x1, y1, x1 + l, y1 + l, b.score, b.reg);
  }

  /**
   * Greedy NMS. Plain mode is torchvision's (IoU with areas w·h); "Min" mode is the reference's
   * numpy one (inclusive +1 sizes, overlap over the smaller area). Boxes overlapping a kept one by
   * more than the threshold are dropped.
   */
  private static List<Box> nms(List<Box> boxes, double threshold, boolean min) {
    List<Box> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble(Box::score).reversed());
    List<Box> kept = new ArrayList<>();
    boolean[] dropped = new boolean[sorted.size()];
    int plus = min ? 1 : 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (dropped[i]) continue;
      Box a = sorted.get(i);
      kept.add(a);
      double areaA = (a.x2 - a.x1 + plus) * (a.y2 - a.y1 + plus);
      for (int j = i + 1; j < sorted.size(); j++) {
        if (dropped[j]) continue;
        Box b = sorted.get(j);
        double iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + plus);
        double ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + plus);
        double inter = iw * ih;
        double areaB = (b.x2 - b.x1 + plus) * (b.y2 - b.y1 + plus);
        double overlap = min ? inter / Math.min(areaA, areaB) : inter / (areaA + areaB - inter);
        if (overlap > threshold) dropped[j] = true;
      }
    }
    return kept;
  }

  /**
   * The reference's pad(): boxes truncated to ints, clipped to [1, size]; rows y−1..ey−1, columns
   * x−1..ex−1. Normalised pixels [boxes, size, size, 3], in {@code buffer} when it is long enough;
   * a box with nothing inside the frame stays zeros.
   */
  private static float[] crops(PixelSums rgb, List<Box> boxes, int size, int w, int h, float[] buffer) {
    int crop = 3 * size * size;
    float[] data = MtcnnKernels.atLeast(buffer, boxes.size() * crop);
    for (int i = 0; i < boxes.size(); i++) {
      Box b = boxes.get(i);
      int x = Math.max(1, (int) b.x1);
      int y = Math.max(1, (int) b.y1);
      int ex = Math.min(w, (int) b.x2);
      int ey = Math.min(h, (int) b.y2);
      if (ey > y - 1 && ex > x - 1) {
        area(rgb, y - 1, x - 1, ey, ex, size, size, 0, 0, size, size, data, i * crop);
        normalise(data, i * crop, crop);
      } else {
        Arrays.fill(data, i * crop, (i + 1) * crop, 0f);
      }
    }
    return data;
  }

  /**
   * Area interpolation of rows [y0, y1) and columns [x0, x1) to oh × ow, as torch's
   * interpolate(mode="area") = adaptive average pooling: output cell i averages input cells
   * floor(i·L/O) to ceil((i+1)·L/O) − 1. Pixels [oh, ow, 3] (RGB interleaved, the networks' layout).
   */
  static float[] area(PixelSums rgb, int y0, int x0, int y1, int x1, int oh, int ow) {
    return area(rgb, y0, x0, y1, x1, oh, ow, 0, 0, oh, ow);
  }

  /**
   * The rows × cols output cells from (top, left) of {@link #area(PixelSums, int, int, int, int, int, int)}:
   * each cell's sum in four reads of the summed-area tables, exact, so the same averages as summing
   * its pixels one by one.
   */
  static float[] area(PixelSums rgb, int y0, int x0, int y1, int x1, int oh, int ow, int top, int left, int rows,
                      int cols) {
    float[] out = new float[3 * rows * cols];
    area(rgb, y0, x0, y1, x1, oh, ow, top, left, rows, cols, out, 0);
    return out;
  }

  /** The same cells written into {@code out} from {@code offset}. */
  private static void area(PixelSums rgb, int y0, int x0, int y1, int x1, int oh, int ow, int top, int left, int rows,
                           int cols, float[] out, int offset) {
    int ih = y1 - y0;
    int iw = x1 - x0;
    int[] ys = new int[oh];
    int[] ye = new int[oh];
    int[] xs = new int[ow];
    int[] xe = new int[ow];
    for (int i = 0; i < oh; i++) {
      ys[i] = y0 + (int) Math.floor((double) i * ih / oh);
      ye[i] = y0 + (int) Math.ceil((double) (i + 1) * ih / oh);
    }
    for (int j = 0; j < ow; j++) {
      xs[j] = x0 + (int) Math.floor((double) j * iw / ow);
      xe[j] = x0 + (int) Math.ceil((double) (j + 1) * iw / ow);
    }
    rgb.require(ys[top], xs[left], ye[top + rows - 1], xe[left + cols - 1]);
    for (int i = top; i < top + rows; i++) {
      for (int j = left; j < left + cols; j++) {
        rgb.mean(ys[i], xs[j], ye[i], xe[j], out, offset + ((i - top) * cols + j - left) * 3);
      }
    }
  }

  /** (x − 127.5) / 128 in place over {@code count} values from {@code from}. */
  private static void normalise(float[] pixels, int from, int count) {
    for (int i = from; i < from + count; i++) pixels[i] = (pixels[i] - 127.5f) * 0.0078125f;
  }
}
