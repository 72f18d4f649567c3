package ai.mesm.report;

import java.awt.BasicStroke;
import java.io.IOException;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG in the layout of the paper's Figure 5: top, the test average headline metric (and F1) of
 * MESM against top-p; bottom, its feature-extraction GFLOPs per utterance; FE2E as a flat
 * reference line in both when the sweep has one.
 */
public final class TopPSweepChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;

  private TopPSweepChart() {}

  public static byte[] png(String title, List<SweepPoint> mesm, SweepPoint fe2e, String headlineName)
      throws IOException {
    double[] p = mesm.stream().mapToDouble(SweepPoint::topP).toArray();
    XYChart metric = chart(title + ": test average over classes", headlineName + " / F1");
    series(metric, "MESM " + headlineName, p, mesm.stream().mapToDouble(x -> 100 * x.test().headline(x.test().average())).toArray());
    series(metric, "MESM F1", p, mesm.stream().mapToDouble(x -> 100 * x.test().average().f1()).toArray());
    XYChart flops = chart(title + ": feature extraction", "GFLOPs per utterance");
    series(flops, "MESM", p, mesm.stream().mapToDouble(SweepPoint::gflops).toArray());
    if (fe2e != null) {
      reference(metric, "FE2E " + headlineName, p, 100 * fe2e.test().headline(fe2e.test().average()));
      reference(metric, "FE2E F1", p, 100 * fe2e.test().average().f1());
      reference(flops, "FE2E", p, fe2e.gflops());
    }
    return ChartPng.stacked(WIDTH, HEIGHT, metric, flops);
  }

  private static void series(XYChart chart, String name, double[] x, double[] y) {
    chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
  }

  /** A constant across the swept range (one point when the sweep has a single p). */
  private static void reference(XYChart chart, String name, double[] p, double value) {
    double lo = java.util.Arrays.stream(p).min().orElse(0);
    double hi = java.util.Arrays.stream(p).max().orElse(1);
    XYSeries s = chart.addSeries(name, new double[] {lo, hi}, new double[] {value, value});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
  }

  private static XYChart chart(String title, String yAxis) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("top-p").yAxisTitle(yAxis).build();
    c.getStyler().setMarkerSize(7);
    c.getStyler().setDecimalPattern("#0.##");
    c.getStyler().setXAxisDecimalPattern("0.0");
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    return c;
  }
}
