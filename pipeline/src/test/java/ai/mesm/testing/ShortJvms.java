package ai.mesm.testing;

/**
 * JVM flags for the short-lived JVMs that tests start: jobs through bin/mesm and bin/cluster
 * submit (a fresh driver and, on the cluster, fresh executors, each living well under a minute)
 * and the notebooks' kernels (one per notebook, ~20 s). The C2 compiler's work there is mostly
 * spent on code that never runs long enough to repay it; client-compiler-only JVMs did the same
 * work with less CPU on this 2-core machine (docs/testing.md: split 63 → 38 CPU-seconds, ingest
 * 65 → 48, a short training 112 → 84; a notebook 46–50 → 22–28 CPU-seconds and 21–28 → 17–22 s).
 * The serial collector likewise: G1's concurrent and parallel work costs these JVMs more CPU than
 * it saves in pauses (an ingest and a split of 48 utterances: 27.3 against 29.3 CPU-seconds, three
 * alternating pairs; docs/testing.md#two-test-jvms). And a first metaspace threshold above what
 * these JVMs load (118 MB of class metadata for a split job, 135 MB for a notebook's kernel): from
 * the default ~21 MB the serial collector ran a full collection each time the metadata outgrew the
 * threshold, four per JVM (a split's collections 0.57–0.81 s against 0.49 s without them, a
 * kernel's 2.06 s against 1.64 s). The tests check what the jobs and notebooks compute, not how
 * fast; users' JVMs keep the default tiered compilation, collector and threshold. Not for
 * the test JVM itself: its trainings and MTCNN loops run for minutes and need C2
 * (SparkTrainingTest took 143 s instead of 111 with C1 only).
 */
public final class ShortJvms {
  /**
   * For MESM_JAVA_OPTS (bin/mesm, bin/mesm-kernel, bin/cluster submit: driver and executors) and
   * MESM_CLUSTER_JAVA_OPTS (bin/cluster's master, workers and s3proxy, which live for one test). With
   * transparent huge pages for the heap when this test JVM has them (the root pom's
   * test.jvm.memory decides, per kernel): a fresh JVM growing its heap 4 KB page fault at a time
   * spent most of its first MTCNN pass there (docs/testing.md).
   */
  public static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MetaspaceSize=256m"
      + (java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
          .contains("-XX:+UseTransparentHugePages") ? " -XX:+UseTransparentHugePages" : "");

  private ShortJvms() {}
}
