package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
  @Test
  void localAndRemoteLocationsAreTold() {
    assertTrue(HadoopFiles.isLocal("demo-output/corpus"));
    assertTrue(HadoopFiles.isLocal("/abs/path"));
    assertTrue(HadoopFiles.isLocal("file:///abs/path"));
    assertFalse(HadoopFiles.isLocal("s3a://bucket/raw"));
    assertFalse(HadoopFiles.isLocal("hdfs://nn:8020/raw"));
    assertEquals(Path.of("/abs/path"), HadoopFiles.localPath("file:///abs/path"));
  }

  @Test
  void sparkHadoopSettingsBecomeHadoopSettings() {
    MesmConfig c = ConfigLoader.load(List.of(), Map.of("spark.conf.\"spark.hadoop.fs.s3a.endpoint\"", "http://127.0.0.1:9",
        "spark.conf.\"spark.executor.memory\"", "2g"));
    Configuration conf = HadoopFiles.hadoopConf(c);
    assertEquals("http://127.0.0.1:9", conf.get("fs.s3a.endpoint"));
    assertNull(conf.get("spark.executor.memory"));
  }

  @Test
  void uploadTreeCopiesEveryFileThroughTheHadoopFileSystem(@TempDir Path src, @TempDir Path dst) throws Exception {
    Files.createDirectories(src.resolve("a/b"));
    Files.writeString(src.resolve("a/b/x.txt"), "hello");
    Files.write(src.resolve("top.bin"), new byte[] {1, 2, 3});
    long bytes = HadoopFiles.uploadTree(src, dst.toUri().toString() + "copy", new Configuration());
    assertEquals(8, bytes);
    assertEquals("hello", Files.readString(dst.resolve("copy/a/b/x.txt")));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dst.resolve("copy/top.bin")));
  }
}
