package ai.mesm.notebook;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Executes a notebook headless with Jupyter's nbconvert and the product's kernel spec. */
final class NotebookRunner {
  /** Debian's Jupyter: another python3 on the PATH (pyenv, conda) may lack jupyter_client. */
  static final String JUPYTER = "/usr/bin/jupyter";
  static final int ATTEMPTS = 2;

  private NotebookRunner() {}

  /**
   * The executed notebook. A kernel that does not answer at start ("Kernel didn't respond") gets
   * one more try with a fresh kernel, said on stderr: rapaio-jupyter-kernel 3.0.1 lost one start
   * in four that way before this module's LoopThread mended it (docs/notebooks.md), so a retry
   * seen in a test log means that mend no longer holds.
   */
  static JsonObject execute(Path notebook, Path outputDir, Path jupyterPath, Map<String, String> env) throws Exception {
    Files.createDirectories(outputDir);
    String name = notebook.getFileName().toString();
    Path log = outputDir.resolve(name + ".log");
    for (int attempt = 1; ; attempt++) {
      ProcessBuilder pb = new ProcessBuilder(JUPYTER, "nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.kernel_name=mesm-java", "--ExecutePreprocessor.startup_timeout=60",
          "--ExecutePreprocessor.timeout=600", "--output-dir", outputDir.toString(), "--output", name, notebook.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
      pb.environment().putAll(env);
      Process p = pb.start();
      try {
        if (!p.waitFor(15, TimeUnit.MINUTES)) throw new AssertionError(name + ": nbconvert still running after 15 minutes; log " + log);
      } finally {
        if (p.isAlive()) p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      String output = Files.readString(log);
      if (p.exitValue() == 0) return JsonParser.parseString(Files.readString(outputDir.resolve(name))).getAsJsonObject();
      boolean startupFlake = output.contains("Kernel didn't respond") || output.contains("RuntimeError: Kernel died before replying");
      if (!startupFlake || attempt == ATTEMPTS) {
        throw new AssertionError(name + ": nbconvert failed (attempt " + attempt + "), log " + log + ":\n" + tail(output));
      }
      System.err.println(name + ": the kernel did not answer at start (attempt " + attempt + "); starting a fresh one");
    }
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
  }

  /** A notebook's multi-line string: a JSON string or an array of lines. */
  static String text(JsonElement e) {
    if (e.isJsonPrimitive()) return e.getAsString();
    StringBuilder sb = new StringBuilder();
    e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
    return sb.toString();
  }
}
