package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;
import static ai.mesm.io.Workspace.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import ai.mesm.ingest.IngestSchema;
import ai.mesm.ingest.Reject;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.io.Provenance;
import ai.mesm.io.Sha256;
import ai.mesm.split.ListSplitter;
import ai.mesm.split.RandomSplitter;
import ai.mesm.split.Split;
import ai.mesm.split.SplitAssignment;
import ai.mesm.split.SplitSettings;
import ai.mesm.split.SplitStatistics;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The split stage (docs/computation.md#splits): reads a complete ingest output, decides each utterance's split on
 * the driver from the ids alone (random from the seed, or from list files), and writes the
 * utterances partitioned by split, the rejects, the statistics of Tables 1–2, the class weights
 * of the loss and the manifest, published atomically.
 */
public final class SplitRunner {
  private static final Set<String> REQUIRED = Set.of("utterance_id", "source_id", "text", "start_s", "end_s", "labels");

  private SplitRunner() {}

  /**
   * What the driver holds of one utterance: ids, labels and counts. Texts and media stay on the
   * executors, so the driver's memory grows with the number of utterances, not with their size.
   */
  record Summary(String id, String source, List<Integer> labels, int words, double durationS)
      implements java.io.Serializable {
    static Summary of(Row r) {
      return new Summary(r.getString(0), r.getString(1), List.copyOf(r.<Integer>getList(5)),
          SplitStatistics.wordCount(r.getString(2)), r.getDouble(4) - r.getDouble(3));
    }
  }

  /** What a split run decided and wrote. */
  public record Result(SplitStatistics statistics, Map<String, Long> rejectsByReason, String mode) {}

  public static Result run(SparkSession spark, MesmConfig config) throws IOException {
    DatasetKind dataset = DatasetKind.of(config);
    PathSettings paths = PathSettings.of(config);
    String input = paths.ingest();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    SplitSettings settings = SplitSettings.of(config);
    OutputGuard.requireApart(hadoop, PATHS_SPLIT, paths.split(),
        Map.of(PATHS_INGEST, input, SPLIT_FILES, settings.files()));
    String ingestManifest = AtomicOutput.requireComplete(input, hadoop, "IngestJob");
    String utterancesPath = new Path(input, IngestSchema.UTTERANCES).toString();
    Dataset<Row> data = spark.read().parquet(utterancesPath);
    List<String> missing = REQUIRED.stream().filter(c -> !List.of(data.columns()).contains(c)).sorted().toList();
    if (!missing.isEmpty()) throw new IOException(utterancesPath + ": not an ingest output, missing columns " + missing);

    List<Summary> small = data.select("utterance_id", "source_id", "text", "start_s", "end_s", "labels").javaRDD()
        .map(Summary::of).collect();
    List<String> ids = new ArrayList<>();
    Map<String, String> videoOf = new HashMap<>();
    for (Summary r : small) {
      ids.add(r.id());
      if (videoOf.put(r.id(), r.source()) != null) {
        // One id, two rows: the split would copy it into a part per row, with two sets of labels.
        throw new IOException(utterancesPath + ": utterance id " + r.id() + " is on more than one row; ingest with "
            + "this version (IngestJob rejects every copy of a duplicated id as duplicate_utterance_id) and split again");
      }
    }
    SplitAssignment assignment = assign(dataset, settings, hadoop, utterancesPath, ids, videoOf);

    List<SplitStatistics.Item> items = new ArrayList<>();
    for (Summary r : small) {
      Split s = assignment.splits().get(r.id());
      if (s != null) items.add(new SplitStatistics.Item(s, r.labels(), r.words(), r.durationS()));
    }
    SplitStatistics stats = new SplitStatistics(dataset.classes(), items);

    Provenance provenance = Provenance.of("split", config, input, List.of())
        .withInputFingerprint(Sha256.hex(ingestManifest)).withDecisions(assignment.provenance())
        .withUpstream("ingest", JsonParser.parseString(ingestManifest).getAsJsonObject().get("provenance").toString());
    String provenanceJson = provenance.toJson();

    AtomicOutput out = new AtomicOutput(paths.split(), hadoop);
    List<Row> pairs = new ArrayList<>();
    assignment.splits().forEach((id, s) -> pairs.add(RowFactory.create(id, s.code())));
    StructType pairSchema = new StructType().add("utterance_id", DataTypes.StringType, false)
        .add("split", DataTypes.StringType, false);
    Dataset<Row> splits = spark.createDataFrame(pairs, pairSchema);
    Dataset<Row> joined = data.join(functions.broadcast(splits), "utterance_id");
    // Provenance rides in the footer as on the ingest output: on the id column's metadata.
    Dataset<Row> withMeta = joined.withColumn("utterance_id", joined.col("utterance_id").as("utterance_id",
        new org.apache.spark.sql.types.MetadataBuilder().putString(IngestSchema.PROVENANCE_KEY, provenanceJson).build()));
    withMeta.repartition(functions.col("split")).sortWithinPartitions("utterance_id")
        .write().mode(SaveMode.Overwrite).partitionBy("split").parquet(out.staged(SPLIT_UTTERANCES));
    List<Row> rejectRows = assignment.rejects().stream().map(IngestSchema::toRow).toList();
    spark.createDataFrame(rejectRows, IngestSchema.rejects(provenanceJson)).coalesce(1)
        .write().mode(SaveMode.Overwrite).parquet(out.staged(SPLIT_REJECTS));
    out.writeStaged(SPLIT_STATISTICS_CSV, stats.csv());
    out.writeStaged(SPLIT_STATISTICS_MD, stats.markdown("Statistics of the " + dataset.configName() + " split ("
        + assignment.provenance().get("mode") + ")"));
    out.writeStaged(SPLIT_CLASS_WEIGHTS, classWeights(stats));

    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Reject r : assignment.rejects()) byReason.merge(r.reason(), 1L, Long::sum);
    out.publish(manifest(provenance, stats, byReason));
    return new Result(stats, byReason, assignment.provenance().get("mode"));
  }

  private static SplitAssignment assign(DatasetKind dataset, SplitSettings settings, Configuration hadoop,
                                        String utterancesPath, List<String> ids, Map<String, String> videoOf)
      throws IOException {
    if (!settings.byLists(dataset)) {
      Map<String, Split> splits = RandomSplitter.split(ids, settings.seed(), settings.train(), settings.valid());
      return new SplitAssignment(splits, List.of(), Map.of("mode", "random", "seed", Long.toString(settings.seed()),
          "fractions", settings.fractions()));
    }
    String folder = settings.files();
    if (folder.isBlank()) {
      throw new ai.mesm.config.InvalidConfigException(SPLIT_FILES, dataset == DatasetKind.MOSEI
          ? "CMU-MOSEI is split by the standard folds: name the folder with the three fold files"
          : "must name the folder with the split files");
    }
    List<ListSplitter.IdList> idLists = new ArrayList<>();
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("mode", dataset == DatasetKind.MOSEI ? "folds" : "files");
    for (Split s : Split.ALL) {
      Path file = new Path(folder, settings.fileNames().get(s.ordinal()));
      byte[] bytes;
      try (InputStream in = file.getFileSystem(hadoop).open(file)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new IOException(file + ": cannot read the " + s.code() + " list (" + SPLIT_FILES + "): " + e.getMessage(), e);
      }
      List<String> listed = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
      idLists.add(new ListSplitter.IdList(s, file.toString(), listed));
      provenance.put(s.code() + "_file", file.toString());
      provenance.put(s.code() + "_sha256", Sha256.hex(bytes));
    }
    Map<String, String> groupOf = new HashMap<>();
    for (String id : ids) groupOf.put(id, dataset == DatasetKind.MOSEI ? videoOf.get(id) : id);
    SplitAssignment a = ListSplitter.split(dataset.configName(), utterancesPath, ids, groupOf, idLists,
        dataset == DatasetKind.MOSEI);
    return new SplitAssignment(a.splits(), a.rejects(), provenance);
  }

  private static String classWeights(SplitStatistics stats) {
    JsonObject o = new JsonObject();
    JsonArray classes = new JsonArray();
    JsonArray weights = new JsonArray();
    for (int c = 0; c < stats.classes().size(); c++) {
      classes.add(stats.classes().get(c));
      weights.add(stats.positiveWeights()[c]);
    }
    o.add("classes", classes);
    o.add("pos_weight", weights);
    o.addProperty("definition", "negatives / positives on the train split (docs/computation.md#training)");
    return new GsonBuilder().setPrettyPrinting().create().toJson(o);
  }

  private static String manifest(Provenance provenance, SplitStatistics stats, Map<String, Long> rejects) {
    JsonObject m = new JsonObject();
    m.add("provenance", provenance.toJsonObject());
    JsonObject sizes = new JsonObject();
    for (Split s : Split.ALL) sizes.addProperty(s.code(), stats.total(s));
    m.add("sizes", sizes);
    JsonObject r = new JsonObject();
    rejects.forEach(r::addProperty);
    m.add("rejects_by_reason", r);
    m.add("class_weights", JsonParser.parseString(classWeights(stats)));
    return new GsonBuilder().setPrettyPrinting().create().toJson(m);
  }

}
