package ai.mesm.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A file from any Hadoop filesystem, streamed to a local temporary file for the length of a
 * task. FFmpeg needs random access (AVI indexes and MP4 'moov' boxes often sit at the end of the
 * file), which object-store streams do not give it; local files are used in place.
 */
public final class LocalCopy implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private LocalCopy(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  public static LocalCopy of(String location, Configuration conf) throws IOException {
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(location);
    FileSystem fs = source.getFileSystem(conf);
    if (fs.getScheme().equals("file")) {
      return new LocalCopy(Path.of(fs.makeQualified(source).toUri()), false);
    }
    String name = source.getName();
    String suffix = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
    Path local = Files.createTempFile("mesm-media-", suffix);
    try (InputStream in = fs.open(source)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(local);
      throw ai.mesm.io.StorageFailure.unlessInputProblem(location, e);
    }
    return new LocalCopy(local, true);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    if (!temporary) return;
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
