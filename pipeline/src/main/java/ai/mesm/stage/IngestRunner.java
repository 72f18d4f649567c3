package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.PATHS_INGEST;
import static ai.mesm.config.ConfigKeys.PATHS_INPUT;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.IngestReport;
import ai.mesm.ingest.IngestSchema;
import ai.mesm.ingest.Reject;
import ai.mesm.ingest.RejectReason;
import ai.mesm.ingest.ReleaseScan;
import ai.mesm.ingest.ReleaseScanner;
import ai.mesm.ingest.SourceItem;
import ai.mesm.ingest.SourceProcessor;
import ai.mesm.ingest.SourceSummary;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.ingest.WorkUnit;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.LazyPartition;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Provenance;
import ai.mesm.io.SideBySide;
import ai.mesm.media.MediaSettings;
import ai.mesm.media.audio.MelSpectrogram;
import ai.mesm.media.face.FaceDetector;
import ai.mesm.media.face.FaceDetectors;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The ingest stage on Spark: list the release on the driver, process one dialog/video per task on
 * the executors, write utterances and rejects as Parquet, and publish them with the manifest last
 * ({@link AtomicOutput}): a crashed run leaves no manifest, and the next run replaces everything.
 */
public final class IngestRunner {
  private IngestRunner() {}

  public static IngestReport run(SparkSession spark, MesmConfig config) throws IOException {
    long started = System.nanoTime();
    DatasetKind dataset = DatasetKind.of(config);
    PathSettings paths = PathSettings.of(config);
    String input = paths.input();
    String output = paths.ingest();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    OutputGuard.requireApart(hadoop, PATHS_INGEST, output, Map.of(PATHS_INPUT, input));
    MediaSettings media = MediaSettings.from(config);
    ReleaseScan scan = new ReleaseScanner(hadoop, media.maxTextFileBytes()).scan(dataset, input);
    Provenance provenance = Provenance.of("ingest", config, input, scan.files());
    String provenanceJson = provenance.toJson();

    Map<String, String> hadoopSettings = new HashMap<>();
    hadoop.forEach(e -> hadoopSettings.put(e.getKey(), e.getValue()));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Items stream out of each task as the media is cut; the three kinds are taken apart afterwards.
    // The units run longest first; everything after the media pass reads them in the release's order.
    int[] order = LongestFirst.order(scan.units(), scan.sizes());
    JavaRDD<SourceItem> ran = jsc.parallelize(LongestFirst.scheduled(scan.units(), order), Math.max(1, order.length))
        .mapPartitions(new ProcessSources(media, hadoopSettings))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      List<SourceSummary> summaries = ran.filter(i -> i instanceof SourceSummary).map(i -> (SourceSummary) i)
          .collect();
      JavaRDD<SourceItem> items = LongestFirst.inReleaseOrder(ran, order);
      Map<String, List<String>> duplicated = duplicatedIds(summaries);
      AtomicOutput out = new AtomicOutput(output, hadoop);
      int files = Math.max(1, scan.units().size() / 16);
      JavaRDD<Row> utteranceRows = items.filter(i -> i instanceof UtteranceRecord u && !duplicated.containsKey(u.utteranceId()))
          .map(i -> IngestSchema.toRow((UtteranceRecord) i));
      JavaRDD<Reject> duplicates = items.filter(i -> i instanceof UtteranceRecord u && duplicated.containsKey(u.utteranceId()))
          .map(i -> duplicateReject((UtteranceRecord) i, duplicated.get(((UtteranceRecord) i).utteranceId())));
      JavaRDD<Row> rejectRows = items.filter(i -> i instanceof Reject).map(i -> (Reject) i)
          .union(duplicates).union(jsc.parallelize(scan.rejects(), 1)).map(IngestSchema::toRow);
      // Each write reads the whole cache: the rejects' one task runs beside the utterances' ones.
      long writing = System.nanoTime();
      SideBySide.run("ingest-rejects-write",
          () -> spark.createDataFrame(utteranceRows, IngestSchema.utterances(provenanceJson)).coalesce(files)
              .write().mode(SaveMode.Overwrite).parquet(out.staged(IngestSchema.UTTERANCES)),
          () -> spark.createDataFrame(rejectRows, IngestSchema.rejects(provenanceJson)).coalesce(1)
              .write().mode(SaveMode.Overwrite).parquet(out.staged(IngestSchema.REJECTS)));

      long duplicateRows = duplicated.values().stream().mapToLong(List::size).sum();
      IngestReport report = account(dataset, output, scan, summaries, duplicateRows,
          (System.nanoTime() - started) / 1e9, (System.nanoTime() - writing) / 1e9);
      out.publish(manifest(provenance, report));
      return report;
    } finally {
      ran.unpersist(false);
    }
  }

  /**
   * Utterance ids that more than one accepted utterance carries (the same id in two dialog files),
   * with the sources of each copy, from the sources' summaries: no pass over the items.
   */
  static Map<String, List<String>> duplicatedIds(List<SourceSummary> summaries) {
    Map<String, List<String>> sources = new java.util.TreeMap<>();
    for (SourceSummary s : summaries) {
      for (SourceSummary.Cut c : s.cut()) sources.computeIfAbsent(c.utteranceId(), k -> new ArrayList<>()).add(c.videoPath());
    }
    sources.values().removeIf(copies -> copies.size() < 2);
    sources.values().forEach(l -> l.sort(null));
    return sources;
  }

  /** Every copy of a duplicated id is rejected: which one carries the right labels cannot be known. */
  private static Reject duplicateReject(UtteranceRecord r, List<String> sources) {
    return Reject.of(r.dataset(), RejectReason.DUPLICATE_UTTERANCE_ID, r.videoPath(), r.utteranceId(), 0,
        sources.size() + " utterances carry this id (sources " + String.join(", ", sources) + "): none is kept, since "
            + "which one has the right labels cannot be known");
  }

  /**
   * Per stage, input = accepted + rejected; utterance counts come from three independent places.
   *
   * @param duplicateRows utterances cut from their source but rejected afterwards for a duplicated id
   * @param writeSeconds  the Parquet writes after the media pass, wall time
   */
  static IngestReport account(DatasetKind dataset, String output, ReleaseScan scan, List<SourceSummary> summaries,
                              long duplicateRows, double seconds, double writeSeconds) {
    Map<String, Map<String, Long>> byReason = new LinkedHashMap<>();
    for (RejectReason.Stage s : RejectReason.Stage.values()) byReason.put(s.code(), new HashMap<>());
    for (Reject r : scan.rejects()) byReason.get(r.stage()).merge(r.reason(), 1L, Long::sum);
    // Sources: dialogs/videos, label files, and second files of a dialog (each rejected by the scan).
    long sources = scan.units().size() + scan.labelFiles() + scan.duplicateFiles();
    long sourcesAccepted = scan.labelFiles() + scan.duplicateFiles()
        - scan.rejects().stream().filter(r -> r.stage().equals("source")).count();
    long lines = scan.labelRows();
    long candidates = scan.orphanClips();
    long utterances = 0;
    double media = 0;
    Map<String, Double> steps = new java.util.TreeMap<>();
    for (SourceSummary s : summaries) {
      ai.mesm.media.MediaTimes.addTo(steps, s.secondsByStep());
      if (s.accepted()) sourcesAccepted++;
      lines += s.lines();
      candidates += s.candidates();
      utterances += s.utterances();
      media += s.mediaSeconds();
      s.rejectsByStageReason().forEach((stage, reasons) ->
          reasons.forEach((reason, n) -> byReason.get(stage).merge(reason, n, Long::sum)));
    }
    if (duplicateRows > 0) {
      utterances -= duplicateRows;
      byReason.get("utterance").merge(RejectReason.DUPLICATE_UTTERANCE_ID.code(), duplicateRows, Long::sum);
    }
    long lineRejects = total(byReason.get("line"));
    List<IngestReport.StageCount> stages = List.of(
        new IngestReport.StageCount("source", sources, sourcesAccepted, total(byReason.get("source")),
            IngestReport.sorted(byReason.get("source"))),
        new IngestReport.StageCount("line", lines, lines - lineRejects, lineRejects,
            IngestReport.sorted(byReason.get("line"))),
        new IngestReport.StageCount("utterance", candidates, utterances, total(byReason.get("utterance")),
            IngestReport.sorted(byReason.get("utterance"))));
    return new IngestReport(dataset.configName(), output, stages, seconds, media, steps, writeSeconds);
  }

  private static long total(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String manifest(Provenance provenance, IngestReport report) {
    JsonObject m = new JsonObject();
    m.add("provenance", provenance.toJsonObject());
    JsonArray stages = new JsonArray();
    for (IngestReport.StageCount s : report.stages()) {
      JsonObject o = new JsonObject();
      o.addProperty("stage", s.stage());
      o.addProperty("input", s.input());
      o.addProperty("accepted", s.accepted());
      o.addProperty("rejected", s.rejected());
      JsonObject reasons = new JsonObject();
      s.byReason().forEach(reasons::addProperty);
      o.add("rejects_by_reason", reasons);
      stages.add(o);
    }
    m.add("accounting", stages);
    m.addProperty("balanced", report.balanced());
    return new GsonBuilder().setPrettyPrinting().create().toJson(m);
  }

  /**
   * Executor side: one detector and one mel transform per partition, then every unit in it, its
   * items produced as Spark pulls them.
   */
  static final class ProcessSources implements FlatMapFunction<Iterator<WorkUnit>, SourceItem> {
    private static final long serialVersionUID = 1L;
    private final MediaSettings media;
    private final Map<String, String> hadoopSettings;

    ProcessSources(MediaSettings media, Map<String, String> hadoopSettings) {
      this.media = media;
      this.hadoopSettings = hadoopSettings;
    }

    @Override
    public Iterator<SourceItem> call(Iterator<WorkUnit> units) {
      Configuration conf = new Configuration(false);
      hadoopSettings.forEach(conf::set);
      FaceDetector detector = FaceDetectors.create(media, conf);
      SourceProcessor processor = new SourceProcessor(media, conf, detector, new MelSpectrogram(media.mel()));
      return LazyPartition.of(units, processor::process, detector);
    }
  }
}
