package ai.mesm.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The range checks that settings records declare on their keys ({@code static List<Rule> rules()}
 * beside the code that reads them), with the messages users see when a value is out of range.
 */
public final class Rules {
  private Rules() {}

  /** A folder or file URI that Hadoop can open (s3a://, hdfs://, file://, a local path); empty only where optional. */
  public static Rule location(String key, boolean optional) {
    return new Rule(key, c -> {
      String v = c.getString(key);
      if (v.isBlank()) return optional ? Optional.empty() : Optional.of("must name a folder (a local path or a URI such as "
          + "s3a://bucket/prefix), was empty");
      try {
        new org.apache.hadoop.fs.Path(v.strip()).toUri();
        return Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.of("is not a valid path or URI ('" + Secrets.redactUris(v) + "'): " + e.getMessage());
      }
    });
  }

  /** Empty (the default) or a {@link SafeName}: these names become folders. */
  public static Rule folderName(String key) {
    return new Rule(key, c -> c.getString(key).isEmpty() || SafeName.isPlain(c.getString(key)) ? Optional.empty()
        : Optional.of("must be " + SafeName.RULE + ", was '" + c.getString(key) + "'"));
  }

  /** Whether v lies in the open interval (lo, hi). */
  public static boolean inOpen(double v, double lo, double hi) {
    return v > lo && v < hi;
  }

  public static Rule oneOf(String key, String... allowed) {
    Set<String> set = Set.of(allowed);
    return new Rule(key, c -> set.contains(c.getString(key)) ? Optional.empty()
        : Optional.of("must be one of " + String.join(" | ", allowed) + ", was \"" + c.getString(key) + "\""));
  }

  public static Rule subsetOf(String key, String... allowed) {
    Set<String> set = Set.of(allowed);
    return new Rule(key, c -> {
      List<String> values = c.getStringList(key);
      if (values.isEmpty()) return Optional.of("must not be empty (choose from " + String.join(", ", allowed) + ")");
      Set<String> seen = new HashSet<>();
      for (String v : values) {
        if (!set.contains(v)) return Optional.of("unknown value \"" + v + "\" (choose from " + String.join(", ", allowed) + ")");
        if (!seen.add(v)) return Optional.of("\"" + v + "\" is listed twice");
      }
      return Optional.empty();
    });
  }

  public static Rule atLeast(String key, long min) {
    return new Rule(key, c -> c.getLong(key) >= min ? Optional.empty()
        : Optional.of("must be >= " + min + ", was " + c.getLong(key)));
  }

  public static Rule evenAtLeast(String key, long min) {
    return new Rule(key, c -> {
      long v = c.getLong(key);
      if (v < min) return Optional.of("must be >= " + min + ", was " + v);
      return v % 2 == 0 ? Optional.empty() : Optional.of("must be even (video encoders need even sizes), was " + v);
    });
  }

  /** A HOCON size ("64M", "512K", or bytes) within [min, max] bytes. */
  public static Rule size(String key, long min, long max) {
    return new Rule(key, c -> {
      long v;
      try {
        v = c.getBytes(key);
      } catch (com.typesafe.config.ConfigException e) {
        return Optional.of("must be a size such as 64M or 512K, was '" + c.getValue(key).unwrapped() + "'");
      }
      return v >= min && v <= max ? Optional.empty()
          : Optional.of("must be between " + min + " and " + max + " bytes (1K .. 1G), was " + v);
    });
  }

  public static Rule positive(String key) {
    return new Rule(key, c -> c.getDouble(key) > 0 ? Optional.empty()
        : Optional.of("must be > 0, was " + c.getDouble(key)));
  }

  public static Rule fraction(String key) {
    return between(key, 0, 1);
  }

  /** A number in [lo, hi]. */
  public static Rule between(String key, double lo, double hi) {
    return new Rule(key, c -> {
      double v = c.getDouble(key);
      return v >= lo && v <= hi ? Optional.empty() : Optional.of("must be in [" + fmt(lo) + ", " + fmt(hi) + "], was " + v);
    });
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  public static Rule listOfFractions(String key, int size) {
    return new Rule(key, c -> {
      List<Double> values = c.getDoubleList(key);
      if (values.size() != size) return Optional.of("must have " + size + " values, has " + values.size());
      return values.stream().allMatch(v -> v >= 0 && v <= 1) ? Optional.empty()
          : Optional.of("every value must be in [0, 1], was " + values);
    });
  }

  public static Rule listOfPositive(String key, int size, boolean strictly) {
    return new Rule(key, c -> {
      List<Double> values = c.getDoubleList(key);
      if (values.size() != size) return Optional.of("must have " + size + " values, has " + values.size());
      return values.stream().allMatch(v -> strictly ? v > 0 : v >= 0) ? Optional.empty()
          : Optional.of("every value must be " + (strictly ? "> 0" : ">= 0") + ", was " + values);
    });
  }
}
