package ai.mesm.io;

import ai.mesm.config.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small text files (annotations, transcripts, subtitles, label tables) read whole from any Hadoop
 * filesystem, with a size cap ({@value ConfigKeys#MEDIA_MAX_TEXT_FILE_SIZE}): they are parsed in
 * memory, so a runaway or mislabelled file (a video named .txt) must be refused, not read into a
 * task's heap. The listed size is checked before opening, and the read stops one byte past the
 * cap in case the listing is wrong (object stores, files still growing).
 */
public final class TextFiles {
  private TextFiles() {}

  /** A file over the cap; the message names the file, its size and the setting. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    TooLarge(String location, String size, long maxBytes) {
      this(location, String.format(Locale.ROOT, "%s, over the %s limit for text files (%s)", size, human(maxBytes),
          ConfigKeys.MEDIA_MAX_TEXT_FILE_SIZE));
    }

    private TooLarge(String location, String reason) {
      super(location + ": " + reason);
      this.reason = reason;
    }

    /** The message without the file's name, for callers that name it themselves. */
    public String reason() {
      return reason;
    }
  }

  /**
   * The file's bytes, at most {@code maxBytes} of them, or {@link TooLarge}; a storage that cannot
   * be read throws {@link StorageFailure} (the task's problem, not the file's).
   */
  public static byte[] read(String location, Configuration conf, long maxBytes) throws IOException {
    try {
      return readCapped(location, conf, maxBytes);
    } catch (IOException e) {
      throw StorageFailure.unlessInputProblem(location, e);
    }
  }

  private static byte[] readCapped(String location, Configuration conf, long maxBytes) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    long listed = fs.getFileStatus(path).getLen();
    if (listed > maxBytes) throw new TooLarge(location, human(listed), maxBytes);
    try (InputStream in = fs.open(path)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) throw new TooLarge(location, "more than " + human(maxBytes), maxBytes);
      return bytes;
    }
  }

  /**
   * The file as strict UTF-8 text: malformed bytes throw {@link java.nio.charset.CharacterCodingException}
   * (an IOException) instead of turning into replacement characters.
   */
  public static String utf8(String location, Configuration conf, long maxBytes) throws IOException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(read(location, conf, maxBytes)))
        .toString();
  }

  /** 64 MiB, 512 KiB, 300 bytes. */
  static String human(long bytes) {
    if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    if (bytes >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
    return bytes + " bytes";
  }
}
