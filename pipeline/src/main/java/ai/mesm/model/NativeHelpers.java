package ai.mesm.model;

/**
 * Deeplearning4j 1.0.0-M2.1 ships its oneDNN (CPU) and cuDNN layer helpers switched off
 * (system property {@value #PROPERTY} defaults to "true"), so convolutions, batch normalisation
 * and pooling run DL4J's generic im2col code: about 10× slower per convolution on this machine
 * than with the helpers (docs/stack.md, make bench). Models built here switch them on unless the user
 * chose otherwise with -D{@value #PROPERTY}=true. The property is read when layers are created.
 * The CPU helpers also need {@code org.nd4j.nativeblas.Nd4jCpu} (a second M2.1 defect, see there).
 */
public final class NativeHelpers {
  public static final String PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

  private NativeHelpers() {}

  public static void enableUnlessDisabledByUser() {
    if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, "false");
  }

  public static boolean enabled() {
    return !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
  }
}
