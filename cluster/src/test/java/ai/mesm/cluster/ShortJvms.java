package ai.mesm.cluster;

/**
 * JVM flags for the jobs these tests start: each job is a fresh driver JVM (and, on the cluster,
 * fresh executor JVMs) that lives well under a minute, so the C2 compiler's work is mostly spent
 * on code that never runs long enough to repay it. Client-compiler-only JVMs did the same jobs
 * with less CPU on this 2-core machine (docs/testing.md: split 63 → 38 CPU-seconds, ingest 65 →
 * 48, a short training 112 → 84). The tests check what the jobs compute, not how fast; users'
 * jobs keep the default tiered compilation.
 */
final class ShortJvms {
  /** For MESM_JAVA_OPTS (bin/mesm, bin/cluster submit: driver and executors). */
  static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1";

  private ShortJvms() {}
}
