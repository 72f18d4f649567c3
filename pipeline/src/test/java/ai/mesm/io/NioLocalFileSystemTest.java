package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM local filesystem against Hadoop's own, which asks chmod and ls for the same. */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;
  FileSystem ours;
  FileSystem hadoops;

  @BeforeEach
  void open() throws Exception {
    ours = instance(NioLocalFileSystem.class);
    hadoops = instance(LocalFileSystem.class);
    assertInstanceOf(NioLocalFileSystem.Raw.class, ((LocalFileSystem) ours).getRaw());
    assertFalse(((LocalFileSystem) hadoops).getRaw() instanceof NioLocalFileSystem.Raw);
  }

  @AfterEach
  void close() throws Exception {
    ours.close();
    hadoops.close();
  }

  /** A fresh instance (not Hadoop's per-scheme cache), whatever the test JVM's core-site.xml says. */
  private static FileSystem instance(Class<?> impl) throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl", impl.getName());
    conf.set("fs.permissions.umask-mode", "027");
    return FileSystem.newInstance(java.net.URI.create("file:///"), conf);
  }

  @Test
  void directoriesAndFilesGetTheSamePermissionsAsHadoopGivesThem() throws Exception {
    for (FileSystem fs : List.of(ours, hadoops)) {
      String name = fs == ours ? "ours" : "hadoops";
      assertTrue(fs.mkdirs(new Path(dir.toUri().toString(), name + "/a/b")));
      try (OutputStream out = fs.create(new Path(dir.toUri().toString(), name + "/a/b/part-0"))) {
        out.write("x".getBytes(StandardCharsets.UTF_8));
      }
      fs.mkdirs(new Path(dir.toUri().toString(), name + "/c"), new FsPermission((short) 0700));
      fs.setPermission(new Path(dir.toUri().toString(), name + "/a/b/part-0"), new FsPermission((short) 0640));
    }
    for (String relative : List.of("a", "a/b", "a/b/part-0", "c")) {
      assertEquals(posix("hadoops/" + relative), posix("ours/" + relative), relative);
    }
    assertEquals("rw-r-----", posix("ours/a/b/part-0"));
    assertEquals("rwx------", posix("ours/c"));
    assertEquals("rwxr-x---", posix("ours/a"), "the umask applied");
  }

  @Test
  void statusesCarryTheSameOwnerGroupAndPermissionAsHadoopsListing() throws Exception {
    Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(dir.resolve("tree/one.txt"), "1");
    Files.writeString(dir.resolve("tree/two.txt"), "22");
    Files.setPosixFilePermissions(dir.resolve("tree/two.txt"), PosixFilePermissions.fromString("r--r-----"));
    Path tree = new Path(dir.resolve("tree").toUri());
    FileStatus[] mine = ours.listStatus(tree);
    FileStatus[] theirs = hadoops.listStatus(tree);
    Arrays.sort(mine, Comparator.comparing(FileStatus::getPath));
    Arrays.sort(theirs, Comparator.comparing(FileStatus::getPath));
    assertEquals(3, mine.length);
    for (int i = 0; i < mine.length; i++) {
      assertEquals(theirs[i].getPath(), mine[i].getPath());
      assertEquals(theirs[i].getLen(), mine[i].getLen());
      assertEquals(theirs[i].isDirectory(), mine[i].isDirectory());
      assertEquals(theirs[i].getModificationTime(), mine[i].getModificationTime());
      assertEquals(theirs[i].getPermission(), mine[i].getPermission(), mine[i].getPath().toString());
      assertEquals(theirs[i].getOwner(), mine[i].getOwner());
      assertEquals(theirs[i].getGroup(), mine[i].getGroup());
    }
    // Serialised (as Spark's listing may), the status carries its permissions with it.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(ours.getFileStatus(new Path(dir.resolve("tree/two.txt").toUri())));
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(FsPermission.createImmutable((short) 0440), ((FileStatus) in.readObject()).getPermission());
    }
    Path two = new Path(dir.resolve("tree/two.txt").toUri());
    assertEquals(hadoops.getFileStatus(two).getPermission(), ours.getFileStatus(two).getPermission());
    assertEquals(FsPermission.createImmutable((short) 0440), ours.getFileStatus(two).getPermission());
  }

  @Test
  void aStickyBitIsSetAndReadLikeChmodAndLsDo() throws Exception {
    Path shared = new Path(dir.toUri().toString(), "shared");
    ours.mkdirs(shared);
    ours.setPermission(shared, new FsPermission((short) 01777));
    FsPermission read = hadoops.getFileStatus(shared).getPermission();
    assertTrue(read.getStickyBit(), read.toString());
    assertEquals(read, ours.getFileStatus(shared).getPermission());
    assertEquals("rwxrwxrwx", posix("shared"));
  }

  @Test
  void localSessionsAndDriverSettingsNameItUnlessTheUserNamedAnother() {
    String key = "spark.hadoop." + NioLocalFileSystem.KEY;
    assertEquals(NioLocalFileSystem.class.getName(), SparkSessions.conf(config(Map.of())).get(key));
    assertEquals(NioLocalFileSystem.class.getName(), HadoopFiles.hadoopConf(config(Map.of())).get(NioLocalFileSystem.KEY));
    // A cluster's executors load the application jar apart from Hadoop's classes: Hadoop's own there.
    assertFalse(SparkSessions.conf(config(Map.of("spark.master", "spark://127.0.0.1:7077"))).contains(key));
    MesmConfig hadoops = config(Map.of("spark.conf.\"" + key + "\"", LocalFileSystem.class.getName()));
    assertEquals(LocalFileSystem.class.getName(), SparkSessions.conf(hadoops).get(key));
    assertEquals(LocalFileSystem.class.getName(), HadoopFiles.hadoopConf(hadoops).get(NioLocalFileSystem.KEY));
  }

  private static MesmConfig config(Map<String, String> overrides) {
    Map<String, String> o = new HashMap<>(Map.of("spark.master", "local[2]"));
    o.putAll(overrides);
    return ConfigLoader.load(List.of(), o);
  }

  private String posix(String relative) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(relative)));
  }
}
