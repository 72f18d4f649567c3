package ai.mesm.notebook;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.io.HadoopFiles;
import ai.mesm.io.SparkSessions;
import ai.mesm.io.TextFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a notebook's first cell needs: the product's configuration (the same --config files and
 * key=value settings as the jobs, so a notebook reads exactly the folders a job wrote, local,
 * hdfs:// or s3a://), a SparkSession and file access through Hadoop.
 */
public final class Notebook {
  /** Comma-separated --config files that replace a notebook's default (headless runs, the tests). */
  public static final String CONFIG_ENV = "MESM_NOTEBOOK_CONF";
  /** Reports and manifests are small; anything larger than this is not one. */
  private static final long MAX_TEXT_BYTES = 64L << 20;

  private Notebook() {}

  /**
   * The configuration as a job would load it from {@code defaultFile} (or the files named in
   * $MESM_NOTEBOOK_CONF) and {@code key=value} settings; invalid settings fail here with the key.
   */
  public static MesmConfig config(String defaultFile, String... settings) {
    String fromEnv = System.getenv(CONFIG_ENV);
    List<File> files = new ArrayList<>();
    for (String f : (fromEnv == null || fromEnv.isBlank() ? defaultFile : fromEnv).split(",")) {
      if (!f.isBlank()) files.add(new File(f.strip()));
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("a setting is key=value, not '" + s + "'");
      overrides.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
    }
    return ConfigLoader.load(files, overrides);
  }

  /**
   * The job's SparkSession (mesm.spark.*). Spark's code generation fails inside the kernel while
   * java.util.logging's root level is above INFO, which the kernel sets; it is lowered first.
   */
  public static SparkSession spark(MesmConfig config) {
    Logger.getLogger("").setLevel(Level.INFO);
    return SparkSessions.create(config);
  }

  public static Configuration hadoop(MesmConfig config) {
    return HadoopFiles.hadoopConf(config);
  }

  public static boolean exists(String location, MesmConfig config) throws IOException {
    Path path = new Path(location);
    return path.getFileSystem(hadoop(config)).exists(path);
  }

  /** A report or manifest (strict UTF-8, bounded). */
  public static String text(String location, MesmConfig config) throws IOException {
    return TextFiles.utf8(location, hadoop(config), MAX_TEXT_BYTES);
  }

  /** A PNG the jobs wrote (learning curves, attention maps, the sweep's plot), to show in a cell. */
  public static BufferedImage png(String location, MesmConfig config) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(TextFiles.read(location, hadoop(config), MAX_TEXT_BYTES)));
    if (image == null) throw new IOException(location + ": not an image");
    return image;
  }
}
