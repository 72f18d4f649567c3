package ai.mesm.bench;

import static ai.mesm.config.ConfigKeys.PATHS_INGEST;
import static ai.mesm.config.ConfigKeys.PATHS_SCORES;

import ai.mesm.config.MesmConfig;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.DemoArchive;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.ingest.IngestReport;
import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.MediaSettings;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.score.ScoreSettings;
import ai.mesm.stage.IngestRunner;
import ai.mesm.stage.ScoreRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * make bench: the memory promise on long videos. A 20-minute IEMOCAP dialog (utterances
 * throughout, its stereo wav) is ingested and a 20-minute CMU-MOSEI video is scored with an .srt
 * of its transcript; the same is done first on 1-minute ones. Each stage prints its peak live
 * heap ({@link HeapPeaks}) next to its bound: the live heap before it, the stage's fixed needs (the
 * heap pools' peak of the same stage on the 1-minute input: model, Spark's task and writer
 * buffers), what Spark holds of the output (cache, Parquet row group: capped by Spark's and
 * Parquet's settings, and spilled past them, not ours to bound), and the media of the longest
 * window that a task holds, the only part that our code holds and that depends on the input.
 */
public final class LongVideoBench {
  private static final double MINUTES = 20;
  /**
   * Copies of ingest's output Spark holds at its peak: the cached partition, the Parquet row group
   * being written and the buffer it is flushed through (measured: 2.6 on the 20-minute dialog).
   */
  private static final int SPARK_COPIES = 3;
  /** Utterance length and gap of the generator's defaults, on average: sizes the corpus to a duration. */
  private static final double SECONDS_PER_UTTERANCE = 2.75 + 0.75;

  private LongVideoBench() {}

  /** One stage on one input: what it did and the heap it needed. */
  record Stage(String name, double mediaS, long items, double longestS, double seconds, long before, long peakLive,
               long poolPeaks, long outputBytes) {}

  public static List<String> run(SparkSession spark, MesmConfig config) throws IOException {
    Path root = Path.of(CorpusSettings.from(config).output());
    List<Stage> shortRun = measure(spark, config, root.resolve("1min"), 1);
    List<Stage> longRun = measure(spark, config, root.resolve("20min"), MINUTES);
    MediaSettings media = MediaSettings.from(config);
    int scoreBatch = ScoreSettings.of(config).batchSize();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < longRun.size(); i++) {
      Stage s = shortRun.get(i);
      Stage l = longRun.get(i);
      long fixed = s.poolPeaks() - s.before();
      boolean scoring = l.name().equals("score");
      long window = windowBytes(media, l.longestS(), scoring ? scoreBatch : 1, scoring ? 1 : 2);
      long bound = l.before() + fixed + SPARK_COPIES * l.outputBytes() + window;
      for (Stage x : List.of(s, l)) {
        out.add(String.format(Locale.ROOT, "%-6s %5.1f min, %4d %-10s in %6.1f s: peak live heap %4d MiB "
                + "(live before %d MiB; heap pools' peak %d MiB, garbage included)", x.name(), x.mediaS() / 60,
            x.items(), scoring ? "segments" : "utterances", x.seconds(), mib(x.peakLive()), mib(x.before()),
            mib(x.poolPeaks())));
      }
      out.add(String.format(Locale.ROOT, "%-6s bound at %.1f min: %d MiB = live before %d + fixed %d (the 1-minute "
              + "run's heap pools' peak over its start) + Spark's output buffers %d x %d MiB + longest window %.1f s "
              + "%.1f MiB -> %s", l.name(), l.mediaS() / 60, mib(bound), mib(l.before()), mib(fixed), SPARK_COPIES,
          mib(l.outputBytes()), l.longestS(), window / 1048576.0, l.peakLive() <= bound ? "held" : "EXCEEDED"));
    }
    return out;
  }

  private static List<Stage> measure(SparkSession spark, MesmConfig config, Path folder, double minutes)
      throws IOException {
    Path corpus = folder.resolve("corpus");
    String n = Long.toString(Math.round(minutes * 60 / SECONDS_PER_UTTERANCE));
    new SyntheticCorpusGenerator(CorpusSettings.from(config.with(Map.ofEntries(Map.entry("corpus.size", n),
        Map.entry("corpus.iemocap.utterances-per-dialog", n), Map.entry("corpus.mosei.clips-per-video", n),
        Map.entry("corpus.mosei.defects", "false"), Map.entry("corpus.mosei.missing-wav-fraction", "1"),
        Map.entry("corpus.iemocap.frame-width", "320"), Map.entry("corpus.iemocap.frame-height", "160"),
        Map.entry("corpus.mosei.frame-width", "320"), Map.entry("corpus.mosei.frame-height", "240"),
        Map.entry("corpus.layouts", "[iemocap, mosei]"))))).generate(corpus);
    return List.of(ingest(spark, config, corpus, folder), score(spark, config, corpus, folder));
  }

  private static Stage ingest(SparkSession spark, MesmConfig config, Path corpus, Path folder) throws IOException {
    Path out = folder.resolve("ingest");
    MesmConfig c = config.with(Map.of("dataset", "iemocap", "paths.input", corpus.toString(), PATHS_INGEST,
        out.toString()));
    Path avi;
    try (Stream<Path> s = Files.walk(corpus.resolve("IEMOCAP_full_release"))) {
      avi = s.filter(p -> p.toString().endsWith(".avi")).findFirst().orElseThrow();
    }
    IngestReport report;
    long start = System.nanoTime();
    try (HeapPeaks heap = HeapPeaks.start()) {
      report = IngestRunner.run(spark, c);
      return measured("ingest", heap, FrameSampler.probe(avi).durationS(), report.stage("utterance").accepted(),
          longest(corpus, "iemocap"), start, outputBytes(spark, out, MediaSettings.from(c)));
    }
  }

  private static Stage score(SparkSession spark, MesmConfig config, Path corpus, Path folder) throws IOException {
    Path archive = Files.createDirectories(folder.resolve("archive"));
    Path mp4;
    try (Stream<Path> s = Files.list(corpus.resolve("CMU_MOSEI/Videos/Full/Combined"))) {
      mp4 = s.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
    }
    String id = mp4.getFileName().toString().replace(".mp4", "");
    Path transcript = corpus.resolve("CMU_MOSEI/Transcript/Segmented/Combined/" + id + ".txt");
    List<MoseiSegment> segments = new ArrayList<>(MoseiTranscriptFormat.parse(transcript.toString(),
        Files.readAllLines(transcript, StandardCharsets.UTF_8)).items());
    Files.copy(mp4, archive.resolve("long.mp4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(archive.resolve("long.srt"), DemoArchive.subRip(segments));
    MesmConfig c = config.with(Map.of("dataset", "mosei", "model.type", "fe2e"));
    String model = folder.resolve("model").toString();
    ScoreThroughput.saveInitialisedModel(c, WordPieceTrainer.train(segments.stream().map(MoseiSegment::text).toList(),
        2000, 1), model, spark.sparkContext().hadoopConfiguration());
    long start = System.nanoTime();
    try (HeapPeaks heap = HeapPeaks.start()) {
      ScoreRunner.Result r = ScoreRunner.run(spark, c.with(Map.of("score.input", archive.toString(), "score.model",
          model, "score.mode", "overwrite", PATHS_SCORES, folder.resolve("scores").toString())), s -> {});
      if (!r.balanced() || r.scoredVideos() != 1) throw new IOException("scoring went wrong: " + r.accounting());
      return measured("score", heap, r.mediaSeconds(), r.rows(), longest(corpus, "mosei"), start, 0);
    }
  }

  private static Stage measured(String name, HeapPeaks heap, double mediaS, long items, double longestS, long start,
                                long outputBytes) {
    return new Stage(name, mediaS, items, longestS, (System.nanoTime() - start) / 1e9, heap.baselineBytes(),
        heap.peakLiveBytes(), heap.peakUsedBytes(), outputBytes);
  }

  /** The longest window of a layout, from the generator's ground truth. */
  private static double longest(Path corpus, String layout) throws IOException {
    List<String> truth = Files.readAllLines(corpus.resolve(SyntheticCorpusGenerator.TRUTH_DIR).resolve(layout + ".csv"));
    return truth.subList(1, truth.size()).stream().map(l -> l.split(",", 6))
        .mapToDouble(r -> Double.parseDouble(r[4]) - Double.parseDouble(r[3])).max().orElse(0);
  }

  /** The media bytes of the ingest output: face crops and mel chunks, as held before they are written. */
  private static long outputBytes(SparkSession spark, Path out, MediaSettings m) {
    Row sums = spark.read().parquet(out.resolve("utterances").toString())
        .agg(functions.sum("n_frames"), functions.sum("n_chunks")).first();
    return sums.getLong(0) * m.faceSize() * m.faceSize() * 3 + sums.getLong(1) * m.nMels() * m.chunkFrames() * 4L;
  }

  /**
   * What a task holds for its longest window: the audio from the window's start to past its end
   * (one frame interval and a decoded packet), the crops of up to {@code windows} windows in
   * progress, up to {@code cuts} finished cuts (a scoring batch), and two decoded 320-px frames.
   */
  static long windowBytes(MediaSettings m, double longestS, int cuts, int channels) {
    double intervalS = m.frameIntervalMs() / 1000.0;
    long audio = Math.round((longestS + intervalS + 0.5) * m.sampleRate()) * channels * 4L;
    long frames = (long) Math.ceil(longestS / intervalS);
    long crop = (long) m.faceSize() * m.faceSize() * 3;
    long chunks = (long) Math.ceil((1 + longestS * m.sampleRate() / m.hopLength()) / m.chunkFrames());
    long cut = frames * crop + chunks * m.nMels() * m.chunkFrames() * 4L;
    return audio + 2 * frames * crop + (long) cuts * cut + 2L * 320 * 240 * 3;
  }

  private static long mib(long bytes) {
    return Math.round(bytes / 1048576.0);
  }
}
