package ai.mesm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.security.Principal;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.SparkConf;

/**
 * Hadoop's file:// filesystem with file permissions set and read in the JVM. Without Hadoop's
 * native library (which no Maven artifact carries) RawLocalFileSystem starts a {@code chmod}
 * process for every directory and file it creates (a Parquet part, its checksum, each folder of
 * the output committer) and an {@code ls -ld} for every file a listing returns: about 6 ms each
 * from a JVM with a large heap. Everything else is Hadoop's own local filesystem, checksums included.
 *
 * <p>Hadoop finds a filesystem by its class name ({@code fs.file.impl}) through the class loader
 * of the settings in hand, and S3A replaces that with its own (HADOOP-17372). So this class is
 * named only where Hadoop's class loader sees it: the product's classes on the same classpath as
 * Hadoop ({@code bin/mesm}, the tests, the notebook kernels), not an application jar under
 * spark-submit, and for Spark only with a local master, whose executors share the driver's JVM.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public static final String KEY = "fs.file.impl";
  private static final boolean VISIBLE_TO_HADOOP = visibleToHadoop();

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** Names this filesystem in {@code conf} unless it already names one, where Hadoop can load it. */
  public static void offerTo(Configuration conf) {
    if (VISIBLE_TO_HADOOP && conf.get(KEY) == null) conf.set(KEY, NioLocalFileSystem.class.getName());
  }

  /** The same for a local Spark session: "spark.hadoop.fs.file.impl" unless set. */
  public static void offerTo(SparkConf conf) {
    if (VISIBLE_TO_HADOOP && conf.get("spark.master", "").startsWith("local")) {
      conf.setIfMissing("spark.hadoop." + KEY, NioLocalFileSystem.class.getName());
    }
  }

  private static boolean visibleToHadoop() {
    try {
      return Class.forName(NioLocalFileSystem.class.getName(), false, Configuration.class.getClassLoader())
          == NioLocalFileSystem.class;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The raw (checksum-less) layer, where Hadoop forks its processes. */
  public static class Raw extends RawLocalFileSystem {
    /** The JDK's "unix" attribute view: the whole st_mode, sticky and setuid bits included, as chmod sets it. */
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (!UNIX) {
        super.setPermission(p, permission);
        return;
      }
      Files.setAttribute(pathToFile(p).toPath(), "unix:mode", permission.toShort() & 07777);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return withPermissions(super.getFileStatus(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      FileStatus[] listed = super.listStatus(f);
      for (int i = 0; i < listed.length; i++) listed[i] = withPermissions(listed[i]);
      return listed;
    }

    /** The same status, its owner, group and permission read on first use as Hadoop's are, but in the JVM. */
    private FileStatus withPermissions(FileStatus s) {
      return UNIX ? new Status(s, pathToFile(s.getPath()).toPath()) : s;
    }
  }

  /**
   * A status whose permission, owner and group are read from the file when first asked for: most
   * callers (exists, length, listing for names) never ask, so a stat per status would be waste.
   */
  private static final class Status extends FileStatus {
    private final transient java.nio.file.Path file;
    private boolean loaded;

    Status(FileStatus s, java.nio.file.Path file) {
      super(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(), s.getModificationTime(),
          s.getAccessTime(), null, null, null, s.getPath());
      this.file = file;
    }

    @Override
    public FsPermission getPermission() {
      load();
      return super.getPermission();
    }

    @Override
    public String getOwner() {
      load();
      return super.getOwner();
    }

    @Override
    public String getGroup() {
      load();
      return super.getGroup();
    }

    /** Serialised as a plain status with its permissions read (the path to read them from does not travel). */
    private Object writeReplace() throws IOException {
      return new FileStatus(this);
    }

    private synchronized void load() {
      if (loaded) return;
      Map<String, Object> a;
      try {
        a = Files.readAttributes(file, "unix:mode,owner,group");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of " + file, e);
      }
      setPermission(new FsPermission((short) ((Integer) a.get("mode") & 07777)));
      setOwner(((Principal) a.get("owner")).getName());
      setGroup(((Principal) a.get("group")).getName());
      loaded = true;
    }
  }
}
