package ai.mesm.testing;

import ai.mesm.model.layers.CnnKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine must run the frozen graph's CNN natively: the CNN kernels loaded (the build
 * had a C compiler) and the CPU has AVX-512, read from /proc/cpuinfo rather than from the product,
 * so that a product that wrongly turns the kernel off fails instead of testing the fallback alone.
 * On an AVX2-only machine the tests hold the fallback (DL4J's folded layers) to the same values.
 */
public final class NativeCnnExpected {
  private NativeCnnExpected() {}

  public static boolean here() {
    return CnnKernels.available() && cpuHasAvx512();
  }

  private static boolean cpuHasAvx512() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo")).lines()
          .anyMatch(l -> l.startsWith("flags") && (" " + l + " ").contains(" avx512f "));
    } catch (IOException e) {
      return false; // not Linux: the kernels are not built there either
    }
  }
}
