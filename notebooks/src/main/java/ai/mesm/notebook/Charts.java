package ai.mesm.notebook;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The notebooks' charts, drawn with XChart (as the jobs' reports are) and returned as images: a
 * cell that ends with one shows it as a PNG.
 */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;

  private Charts() {}

  /** Grouped bars: one group per category, one bar per series (series in the map's order). */
  public static BufferedImage bars(String title, String yAxis, List<String> categories,
                                   Map<String, ? extends List<? extends Number>> series) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yAxis).build();
    c.getStyler().setDecimalPattern("#0.###");
    c.getStyler().setLegendVisible(series.size() > 1);
    series.forEach((name, values) -> c.addSeries(name, categories, new ArrayList<>(values)));
    return image(c);
  }

  /** A histogram of {@code values} in {@code bins} equal bins. */
  public static BufferedImage histogram(String title, String xAxis, List<? extends Number> values, int bins) {
    Histogram h = new Histogram(values, bins);
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis)
        .yAxisTitle("count").build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setDecimalPattern("#0.##");
    c.getStyler().setAvailableSpaceFill(0.98);
    c.getStyler().setXAxisLabelRotation(45);
    c.addSeries(xAxis, h.getxAxisData(), h.getyAxisData());
    return image(c);
  }

  /** Lines over a shared x axis, one per series (series in the map's order). */
  public static BufferedImage lines(String title, String xAxis, String yAxis, double[] x, Map<String, double[]> series) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis)
        .build();
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    c.getStyler().setMarkerSize(5);
    c.getStyler().setDecimalPattern("#0.###");
    series.forEach((name, y) -> c.addSeries(name, x, y));
    return image(c);
  }

  private static BufferedImage image(Chart<?, ?> chart) {
    return BitmapEncoder.getBufferedImage(chart);
  }
}
