package ai.mesm.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 endpoint of the object-storage tests really serves S3A: write, list, seek, read, delete. */
@Slow
class S3ProxyServerTest {
  @Test
  void s3aReadsWhatItWroteWithSeeks(@TempDir Path dir) throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(dir)) {
      s3.createBucket("media");
      byte[] data = new byte[3 * 1024 * 1024 + 17];
      new Random(5).nextBytes(data);
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(s3.uri("media", "a/b/file.bin"));
      try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://media/"), s3.hadoopConf())) {
        try (OutputStream out = fs.create(file, true)) {
          out.write(data);
        }
        FileStatus[] listed = fs.listStatus(new org.apache.hadoop.fs.Path(s3.uri("media", "a/b")));
        assertEquals(1, listed.length);
        assertEquals(data.length, listed[0].getLen());
        try (InputStream in = fs.open(file)) {
          assertArrayEquals(data, in.readAllBytes());
        }
        try (FSDataInputStream in = fs.open(file)) {
          in.seek(2_000_000);
          byte[] range = new byte[1000];
          in.readFully(range);
          assertArrayEquals(Arrays.copyOfRange(data, 2_000_000, 2_001_000), range);
        }
        assertTrue(fs.delete(file, false));
        assertFalse(fs.exists(file));
      }
    }
  }
}
