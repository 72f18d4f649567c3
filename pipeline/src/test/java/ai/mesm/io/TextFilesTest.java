package ai.mesm.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
  @TempDir Path dir;

  @Test
  void aFileOverTheCapIsRefusedNamingItsSizeAndTheSetting() throws Exception {
    Path file = dir.resolve("big.srt");
    Files.write(file, new byte[2048]);
    TextFiles.TooLarge e = assertThrows(TextFiles.TooLarge.class, () -> TextFiles.read(file.toString(), new Configuration(), 1024));
    assertEquals(file + ": 2.0 KiB, over the 1.0 KiB limit for text files (mesm.media.max-text-file-size)", e.getMessage());
    assertEquals(2048, TextFiles.read(file.toString(), new Configuration(), 2048).length, "a file at the cap is read");
  }

  @Test
  void aStreamLongerThanItsListedSizeIsCutOffAtTheCap() throws Exception {
    // A named pipe lists as 0 bytes, like a file still growing or a wrong object-store listing.
    Path pipe = dir.resolve("pipe.txt");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0, "no mkfifo");
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(pipe)) {
        out.write(new byte[1 << 20]);
      } catch (java.io.IOException expected) {
        // the reader stops early and closes its end
      }
    });
    TextFiles.TooLarge e = assertThrows(TextFiles.TooLarge.class, () -> TextFiles.read(pipe.toString(), new Configuration(), 1024));
    assertTrue(e.getMessage().endsWith(": more than 1.0 KiB, over the 1.0 KiB limit for text files "
        + "(mesm.media.max-text-file-size)"), e.getMessage());
    writer.join();
  }

  @Test
  void utf8IsStrict() throws Exception {
    Path file = dir.resolve("latin1.txt");
    Files.writeString(file, "caf\u00e9", StandardCharsets.ISO_8859_1);
    assertThrows(CharacterCodingException.class, () -> TextFiles.utf8(file.toString(), new Configuration(), 1024));
    Files.writeString(file, "caf\u00e9", StandardCharsets.UTF_8);
    assertEquals("caf\u00e9", TextFiles.utf8(file.toString(), new Configuration(), 1024));
  }
}
