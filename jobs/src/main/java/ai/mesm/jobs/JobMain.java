package ai.mesm.jobs;

import ai.mesm.config.InvalidConfigException;
import ai.mesm.config.JobArguments;
import ai.mesm.config.MesmConfig;
import ai.mesm.model.SameDiffChatterFilter;
import java.io.PrintStream;
import java.util.Set;

/**
 * What every entry point does before and after its work: parse the command line, load and
 * validate the configuration (nothing runs if it is wrong), honour --help and --print-config, and
 * turn failures into a one-paragraph message and an exit code (2 = bad usage/config, 1 = failure).
 */
final class JobMain {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_USAGE = 2;

  @FunctionalInterface
  interface Body {
    void run(MesmConfig config, JobArguments arguments) throws Exception;
  }

  private JobMain() {}

  static int execute(String job, String usage, String[] args, Set<String> flags, Body body, PrintStream out,
                     PrintStream err) {
    JobArguments arguments;
    MesmConfig config;
    try {
      arguments = JobArguments.parse(args, flags);
      if (arguments.has(JobArguments.HELP)) {
        out.println(usageText(job, usage));
        return OK;
      }
      config = arguments.loadConfig();
    } catch (InvalidConfigException e) {
      err.println(job + ": " + e.getMessage());
      err.println("Run with --help for usage.");
      return BAD_USAGE;
    }
    if (arguments.has(JobArguments.PRINT_CONFIG)) {
      out.println(config.render());
      return OK;
    }
    try {
      body.run(config, arguments);
      return OK;
    } catch (InvalidConfigException e) {
      err.println(job + ": " + e.getMessage());
      return BAD_USAGE;
    } catch (Exception e) {
      err.println(job + " failed: " + e);
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        err.println("  caused by: " + cause);
      }
      e.printStackTrace(err);
      return FAILED;
    }
  }

  static void main(String job, String usage, String[] args, Set<String> flags, Body body) {
    SameDiffChatterFilter.install();
    int code = execute(job, usage, args, flags, body, System.out, System.err);
    if (code != OK) System.exit(code);
  }

  private static String usageText(String job, String usage) {
    return "Usage: " + job + " [--config FILE]... [--print-config] [key=value]...\n\n" + usage
        + "\n\nSettings: see pipeline/src/main/resources/reference.conf; precedence is key=value > later --config"
        + " > earlier --config > defaults. Keys may omit the leading \"mesm.\".";
  }
}
