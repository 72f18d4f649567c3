package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Workaround for a Deeplearning4j 1.0.0-M2.1 defect: its oneDNN layer helpers (convolution,
 * batch normalisation, pooling) switch themselves off unless {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * reports oneDNN, but ND4J M2.1 moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings}:
 * the lookup fails and every convolution runs DL4J's generic im2col path, ~10× slower here
 * (see {@code ai.mesm.model.NativeHelpers}, docs/stack.md). This class answers under the old name by
 * asking the real one, by reflection so that builds against ND4J CUDA (no CPU bindings) compile.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The one method of the old API that DL4J's BaseMKLDNNHelper calls. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** True when the loaded libnd4j was built with oneDNN and uses it (the -onednn classifiers of nd4j-native). */
    public boolean isUseMKLDNN() {
      try {
        Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        Object env = real.getMethod("getInstance").invoke(null);
        Method use = real.getMethod("isUseONEDNN");
        return (Boolean) use.invoke(env);
      } catch (ReflectiveOperationException | LinkageError e) {
        return false;
      }
    }
  }
}
