package ai.mesm.config;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line every job accepts: {@code [--config FILE]... [--FLAG]... [key=value]...}.
 * Flags are job-specific switches such as {@code --resume}; a job names the ones it knows and
 * anything else is an error, so a typo never silently runs the default.
 */
public final class JobArguments {
  public static final String HELP = "help";
  public static final String PRINT_CONFIG = "print-config";

  private final List<File> configFiles;
  private final Map<String, String> overrides;
  private final Set<String> flags;

  private JobArguments(List<File> configFiles, Map<String, String> overrides, Set<String> flags) {
    this.configFiles = configFiles;
    this.overrides = overrides;
    this.flags = flags;
  }

  public static JobArguments parse(String[] args, Set<String> knownFlags) {
    List<File> files = new ArrayList<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    Set<String> flags = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--config")) {
        if (i + 1 >= args.length) throw new InvalidConfigException("--config", "needs a file name");
        files.add(new File(args[++i]));
      } else if (arg.startsWith("--config=")) {
        files.add(new File(arg.substring("--config=".length())));
      } else if (arg.startsWith("--")) {
        String flag = arg.substring(2);
        if (!flag.equals(HELP) && !flag.equals(PRINT_CONFIG) && !knownFlags.contains(flag)) {
          throw new InvalidConfigException(arg, "unknown option; this job knows --config FILE, --help, --print-config"
              + (knownFlags.isEmpty() ? "" : ", --" + String.join(", --", knownFlags)));
        }
        flags.add(flag);
      } else if (arg.contains("=") && arg.indexOf('=') > 0) {
        overrides.put(arg.substring(0, arg.indexOf('=')).trim(), arg.substring(arg.indexOf('=') + 1));
      } else {
        throw new InvalidConfigException(arg, "unexpected argument; settings are given as key=value, e.g. mesm.seed=7");
      }
    }
    return new JobArguments(List.copyOf(files), Map.copyOf(overrides), Set.copyOf(flags));
  }

  public List<File> configFiles() {
    return configFiles;
  }

  public Map<String, String> overrides() {
    return overrides;
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  public MesmConfig loadConfig() {
    return ConfigLoader.load(configFiles, overrides);
  }
}
