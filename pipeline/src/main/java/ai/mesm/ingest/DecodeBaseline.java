package ai.mesm.ingest;

import ai.mesm.media.FfmpegLog;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.LocalCopy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * The floor for ingest speed: decode every video frame and audio sample of a release with FFmpeg
 * and nothing else, on as many threads as ingest has cores and with ingest's decoding threads per
 * file (mesm.media.decode-threads). Ingest's throughput divided by this one says how much the
 * alignment, face and mel work costs on top of decoding.
 */
public final class DecodeBaseline {
  static {
    FfmpegLog.errorsOnly();
  }

  private DecodeBaseline() {}

  /** @return media seconds decoded (the longer of each source's video and audio) */
  public static double decodeAll(ReleaseScan scan, Configuration conf, int threads, int decodeThreads) throws Exception {
    List<List<String>> sources = new ArrayList<>();
    for (WorkUnit unit : scan.units()) {
      List<String> files = new ArrayList<>();
      for (String location : new String[] {unit.video(), unit.audio()}) if (location != null) files.add(location);
      sources.add(files);
    }
    return decodeSources(sources, conf, threads, decodeThreads);
  }

  /** @return media seconds decoded: each file's video and audio streams, as scoring reads a video */
  public static double decodeFiles(List<String> files, Configuration conf, int threads, int decodeThreads)
      throws Exception {
    return decodeSources(files.stream().map(List::of).toList(), conf, threads, decodeThreads);
  }

  /** Each source's files decoded on one of {@code threads}; a source counts the longest of its files. */
  private static double decodeSources(List<List<String>> sources, Configuration conf, int threads, int decodeThreads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> futures = new ArrayList<>();
      for (List<String> files : sources) {
        futures.add(pool.submit(() -> {
          double seconds = 0;
          for (String location : files) {
            try (LocalCopy copy = LocalCopy.of(location, conf)) {
              seconds = Math.max(seconds, decode(copy.path(), decodeThreads));
            } catch (Exception broken) {
              // corrupt files cost what FFmpeg spends refusing them, as in ingest
            }
          }
          return seconds;
        }));
      }
      double total = 0;
      for (Future<Double> f : futures) total += f.get();
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  private static double decode(Path file, int decodeThreads) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      FrameSampler.decodeThreads(g, decodeThreads);
      g.start();
      double last = 0;
      Frame f;
      // Decoding only: no conversion of frames to BGR or of samples, which ingest now does only for
      // the frames it samples (FrameSampler), so a floor that converted every frame was no floor.
      while ((f = g.grabFrame(true, true, false, false, false)) != null) last = Math.max(last, f.timestamp / 1e6);
      return last;
    }
  }
}
