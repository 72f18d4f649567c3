package ai.mesm.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * ND4J 1.0.0-M2.1's SameDiff prints "Added differentiated op …" to standard output (a leftover
 * System.out.println) for every operation of every custom layer when the model is built: dozens
 * of lines that would bury the jobs' own output, and one set per averaging round in executor logs. This stream drops exactly those lines.
 */
public final class SameDiffChatterFilter extends PrintStream {
  static final String PREFIX = "Added differentiated op ";

  public SameDiffChatterFilter(OutputStream out) {
    super(out, true, StandardCharsets.UTF_8);
  }

  @Override
  public void println(String line) {
    if (line != null && line.startsWith(PREFIX)) return;
    super.println(line);
  }

  /** Installs the filter on System.out once per JVM (drivers, and executors before they build model copies). */
  public static void install() {
    if (!(System.out instanceof SameDiffChatterFilter)) System.setOut(new SameDiffChatterFilter(System.out));
  }
}
