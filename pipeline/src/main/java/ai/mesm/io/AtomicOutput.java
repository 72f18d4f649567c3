package ai.mesm.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A stage's output folder that is either complete or visibly not: everything is written into
 * {@code _staging-<uuid>/}, then {@link #publish} deletes the old manifest (from then on the
 * folder does not look complete), moves every staged entry into place and writes the manifest
 * last. Readers call {@link #requireComplete}.
 */
public final class AtomicOutput {
  public static final String MANIFEST = "_manifest.json";

  private final FileSystem fs;
  private final Path out;
  private final Path staging;

  public AtomicOutput(String location, Configuration conf) throws IOException {
    this.out = new Path(location);
    this.fs = out.getFileSystem(conf);
    this.staging = new Path(out, "_staging-" + UUID.randomUUID());
  }

  /** Where to write {@code name} before it is published. */
  public String staged(String name) {
    return new Path(staging, name).toString();
  }

  public void writeStaged(String name, String text) throws IOException {
    try (OutputStream o = createStaged(name)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A stream into the staged file {@code name}, for binary outputs (model files, images). */
  public OutputStream createStaged(String name) throws IOException {
    fs.setWriteChecksum(false); // no .crc sidecars on local filesystems
    return fs.create(new Path(staging, name), true);
  }

  public void publish(String manifest) throws IOException {
    Path manifestPath = new Path(out, MANIFEST);
    fs.delete(manifestPath, false);
    for (FileStatus entry : fs.listStatus(staging)) {
      Path target = new Path(out, entry.getPath().getName());
      fs.delete(target, true);
      if (!fs.rename(entry.getPath(), target)) throw new IOException("cannot move " + entry.getPath() + " into " + out);
    }
    writeStaged(MANIFEST, manifest);
    if (!fs.rename(new Path(staging, MANIFEST), manifestPath)) throw new IOException("cannot write " + manifestPath);
    fs.delete(staging, true);
    FileStatus[] leftovers = fs.globStatus(new Path(out, "_staging-*"));
    if (leftovers != null) for (FileStatus f : leftovers) fs.delete(f.getPath(), true);
  }

  /** The manifest of a complete output folder, or a clear error naming the folder. */
  public static String requireComplete(String location, Configuration conf, String producedBy) throws IOException {
    Path manifest = new Path(location, MANIFEST);
    FileSystem fs = manifest.getFileSystem(conf);
    if (!fs.exists(manifest)) {
      throw new IOException(location + ": no " + MANIFEST + ", so this is not a complete output of " + producedBy
          + " (not run yet, or interrupted: run it again)");
    }
    try (var in = fs.open(manifest)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
