package ai.mesm.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The real files under src/test/resources/fixtures (fixtures/README.md: sources and licences). */
public final class RealData {
  private RealData() {}

  /** A photo of a face (512×512 RGB). */
  public static Path photo() {
    return fixture("real/astronaut.png");
  }

  /** The folder with the MTCNN weights (pnet/rnet/onet.safetensors) and the reference outputs on the photo. */
  public static Path mtcnn() {
    return fixture("mtcnn/pnet.safetensors").getParent();
  }

  private static Path fixture(String name) {
    URL url = RealData.class.getResource("/fixtures/" + name);
    if (url == null) throw new IllegalStateException("no test fixture " + name + " on the classpath");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
