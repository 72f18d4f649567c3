package ai.mesm.report;

import ai.mesm.train.EpochResult;
import java.io.IOException;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** PNG of a training run: train and validation loss on the left, validation metrics on the right. */
public final class LearningCurves {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 420;

  private LearningCurves() {}

  public static byte[] png(String title, List<EpochResult> history, String headlineName, int bestEpoch)
      throws IOException {
    double[] epochs = history.stream().mapToDouble(EpochResult::epoch).toArray();
    XYChart loss = chart(title + ": loss", "weighted BCE");
    loss.addSeries("train", epochs, history.stream().mapToDouble(EpochResult::trainLoss).toArray());
    loss.addSeries("valid", epochs, history.stream().mapToDouble(EpochResult::validLoss).toArray());
    XYChart metrics = chart(title + ": validation (best epoch " + bestEpoch + ")", "average over classes");
    metrics.addSeries("F1", epochs, history.stream().mapToDouble(EpochResult::validF1).toArray());
    metrics.addSeries(headlineName, epochs, history.stream().mapToDouble(EpochResult::validHeadline).toArray());
    return ChartPng.sideBySide(WIDTH, HEIGHT, loss, metrics);
  }

  private static XYChart chart(String title, String yAxis) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yAxis)
        .build();
    c.getStyler().setMarkerSize(6);
    c.getStyler().setDecimalPattern("#0.###");
    c.getStyler().setXAxisDecimalPattern("0");
    c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
    return c;
  }
}
