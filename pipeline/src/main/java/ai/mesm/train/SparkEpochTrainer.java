package ai.mesm.train;

import ai.mesm.data.ExampleRows;
import ai.mesm.model.Batch;
import ai.mesm.model.BatchBuilder;
import ai.mesm.model.Batches;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.SameDiffChatterFilter;
import ai.mesm.model.Kernels;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction1;

/**
 * Epochs by parameter averaging over Spark executors (DL4J's
 * {@link ParameterAveragingTrainingMaster}): executors read the train split's Parquet themselves
 * (nothing is collected on the driver), each epoch puts the utterances in a seeded random order
 * and cuts it into rounds of workers × averaging-frequency batches. In a round every worker fits
 * its own consecutive batches starting from the same parameters, then parameters and optimiser
 * state are averaged on the driver and broadcast for the next round.
 *
 * <p>The rounds are made explicit ({@link RoundPartitioner}) rather than left to DL4J's random
 * splits: each round is the same few partitions of one shuffled dataset, so an epoch reads and
 * moves the data once, the order is reproducible from the seed, and with one worker and
 * frequency 1 training takes exactly the steps of the local trainer on the same batches.
 */
public final class SparkEpochTrainer implements EpochTrainer {
  private final SparkSession spark;
  private final String trainFolder;
  private final TrainingSettings settings;
  private final DistributedSettings distributed;
  private final Consumer<String> log;
  private JavaRDD<Row> rows;
  private long utterances = -1;

  public SparkEpochTrainer(SparkSession spark, String trainFolder, TrainingSettings settings,
                           DistributedSettings distributed, Consumer<String> log) {
    this.spark = spark;
    this.trainFolder = trainFolder;
    this.settings = settings;
    this.distributed = distributed;
    this.log = log;
  }

  /** The workers of each round: train.spark.workers, or Spark's default parallelism. */
  public int workers() {
    return distributed.workers() > 0 ? distributed.workers() : jsc().defaultParallelism();
  }

  @Override
  public double trainEpoch(EmotionModel model, int epoch) {
    useSystemClock();
    Epoch plan = plan(epoch, model.batchBuilder(), model.spec().modalities());
    IterationCountHook counters = new IterationCountHook();
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(plan.workers(),
        settings.batchSize())
        .batchSizePerWorker(settings.batchSize())
        .averagingFrequency(distributed.averagingFrequency())
        .workerPrefetchNumBatches(distributed.prefetchBatches())
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Never)
        .storageLevel(StorageLevel.MEMORY_ONLY())
        .rngSeed(settings.seed() + epoch)
        .collectTrainingStats(distributed.collectStats())
        .trainingHooks(counters)
        .build();
    SparkComputationGraph net = new SparkComputationGraph(jsc(), model.graph(), master);
    double sum = 0;
    long batches = 0;
    long started = System.nanoTime();
    try {
      ComputationGraphConfiguration conf = model.graph().getConfiguration();
      for (int r = 0; r < plan.rounds(); r++) {
        int step = conf.getIterationCount();
        counters.startAt(step, conf.getEpochCount());
        JavaRDD<MultiDataSet> round = plan.round(r);
        net.fitMultiDataSet(round);
        round.unpersist(false);
        long inRound = plan.batchesIn(r);
        // The steps each worker took (the first worker's, the most), not DL4J's "+ averaging frequency".
        conf.setIterationCount(step + (int) Math.min(distributed.averagingFrequency(), inRound));
        double loss = net.getScore();
        LocalTrainer.requireFinite(loss, epoch, "averaging round " + (r + 1) + " of " + plan.rounds());
        sum += loss * inRound;
        batches += inRound;
      }
    } finally {
      plan.release();
    }
    log.accept(String.format(Locale.ROOT, "  epoch %d: %d rounds of %d workers x %d steps, %.1f utterances/s", epoch,
        plan.rounds(), plan.workers(), distributed.averagingFrequency(),
        utterances / ((System.nanoTime() - started) / 1e9)));
    if (distributed.collectStats() && net.getSparkTrainingStats() != null) {
      log.accept(RoundTimes.of(net.getSparkTrainingStats()).summary());
    }
    return sum / batches;
  }

  /** The epoch's utterance ids batch by batch, in the order training takes them (for tests and logs). */
  List<List<String>> batchOrder(int epoch) {
    Epoch plan = plan(epoch, null, List.of());
    try {
      List<List<String>> out = new ArrayList<>();
      for (Tuple2<Long, Row> t : plan.placed().sortByKey().collect()) {
        int b = (int) (t._1() / settings.batchSize());
        while (out.size() <= b) out.add(new ArrayList<>());
        out.get(b).add(t._2().getString(0));
      }
      return out;
    } finally {
      plan.release();
    }
  }

  private JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  private Epoch plan(int epoch, BatchBuilder builder, List<Modality> modalities) {
    if (rows == null) {
      rows = ExampleRows.read(spark, trainFolder).javaRDD();
      utterances = rows.count();
      if (utterances == 0) throw new IllegalStateException(trainFolder + ": the train split is empty");
    }
    RoundPartitioner partitioner = new RoundPartitioner(utterances, settings.batchSize(), workers(),
        distributed.averagingFrequency());
    Broadcast<int[]> order = jsc().broadcast(permutation((int) utterances, settings.seed() * 1_000_003L + epoch));
    JavaPairRDD<Long, Row> placed = rows.zipWithIndex()
        .mapToPair(t -> new Tuple2<>((long) order.value()[(int) (long) t._2()], t._1()))
        // Not persisted: each partition is read by exactly one round (whose batches DL4J caches
        // for its count and its fit), straight from the shuffle files.
        .repartitionAndSortWithinPartitions(partitioner);
    return new Epoch(placed, order, partitioner, utterances, settings.batchSize(), builder, modalities,
        distributed.kernels());
  }

  /**
   * DL4J's training statistics time events with a clock it synchronises over NTP
   * (0.pool.ntp.org) by default: no network at run time here, so the machine's clock, on the
   * driver and on every executor (a user's own setting of the property is kept).
   */
  static void useSystemClock() {
    if (System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
      System.setProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
    }
  }

  /** A seeded uniform permutation of 0..n-1 (Fisher–Yates). */
  static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** One epoch's placed utterances and how to hand its rounds to DL4J. */
  private record Epoch(JavaPairRDD<Long, Row> placed, Broadcast<int[]> order, RoundPartitioner partitioner,
                       long utterances, int batch, BatchBuilder builder, List<Modality> modalities, Kernels kernels) {
    int rounds() {
      return partitioner.rounds();
    }

    int workers() {
      return partitioner.workers();
    }

    /** Batches in round r: workers × frequency, fewer in the last round. */
    long batchesIn(int round) {
      long total = (utterances + batch - 1) / batch;
      long perRound = partitioner.batchesPerRound();
      return Math.min(perRound, total - round * perRound);
    }

    /** Round r: the workers' partitions only (the others are not even scanned), as MultiDataSets. */
    JavaRDD<MultiDataSet> round(int r) {
      int workers = workers();
      ClassTag<Tuple2<Long, Row>> tag = scala.reflect.ClassTag$.MODULE$.apply(Tuple2.class);
      PartitionPruningRDD<Tuple2<Long, Row>> pruned = PartitionPruningRDD.create(placed.rdd(), new InRound(r, workers));
      return new JavaRDD<>(pruned, tag).mapPartitions(new ToDataSets(builder, new ArrayList<>(modalities), batch,
          kernels));
    }

    void release() {
      order.destroy();
    }
  }

  /** The partition filter of one round. */
  private static final class InRound extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int round;
    private final int workers;

    InRound(int round, int workers) {
      this.round = round;
      this.workers = workers;
    }

    @Override
    public Object apply(Object partition) {
      return (Integer) partition / workers == round;
    }
  }

  /** In the executor: a worker's rows, in order, as padded batches exactly as the local trainer builds them. */
  private static final class ToDataSets implements FlatMapFunction<Iterator<Tuple2<Long, Row>>, MultiDataSet> {
    private static final long serialVersionUID = 1L;
    private final BatchBuilder builder;
    private final List<Modality> modalities;
    private final int batch;
    private final Kernels kernels;

    ToDataSets(BatchBuilder builder, List<Modality> modalities, int batch, Kernels kernels) {
      this.builder = builder;
      this.modalities = modalities;
      this.batch = batch;
      this.kernels = kernels;
    }

    @Override
    public Iterator<MultiDataSet> call(Iterator<Tuple2<Long, Row>> rows) {
      SameDiffChatterFilter.install(); // the worker builds its copy of the model next
      useSystemClock();
      GpuAffinity.bindToTaskGpu(); // before that copy allocates anything
      kernels.apply(); // DL4J fits that copy in this task, in this JVM
      Iterator<ai.mesm.data.Example> examples = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public ai.mesm.data.Example next() {
          return ExampleRows.toExample(rows.next()._2());
        }
      };
      Batches batches = new Batches(examples, builder, batch);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return batches.hasNext();
        }

        @Override
        public MultiDataSet next() {
          Batch b = batches.next();
          return EmotionModel.dataSet(modalities, b);
        }
      };
    }
  }
}
