package ai.mesm.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads one of the product's own JNI libraries (built from pipeline/src/main/c into the jar when
 * the build machine has a C compiler) from the class path: copied to a temporary file, since a JVM
 * loads libraries from files only. The result says why a library did not load, so each caller
 * can fall back to its Java code and name the reason in its logs.
 */
public final class NativeLibrary {
  private NativeLibrary() {}

  /** An empty string when the library loaded, else the reason it did not. */
  public static String load(Class<?> owner, String name) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return "built for x86-64 Linux only, this is " + os + "/" + arch;
    }
    String resource = "/ai/mesm/native/linux-x86_64/" + name;
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) return "the jar has no " + name + " (built without a C compiler)";
      Path file = Files.createTempFile(name.replace(".so", ""), ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      System.load(file.toAbsolutePath().toString());
      return "";
    } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
      return "loading " + name + " failed: " + e.getMessage();
    }
  }
}
