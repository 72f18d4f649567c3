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

  /** The folder with the reference MTCNN's outputs on the photo. */
  public static Path mtcnnReference() {
    return fixture("mtcnn/astronaut_expected.json").getParent();
  }

  /**
   * The MTCNN weights the pipeline ships (pnet/rnet/onet.safetensors), as a folder: what a user
   * names in mesm.media.face.mtcnn.weights to use their own.
   */
  public static Path mtcnnWeights() {
    return resource("/ai/mesm/media/face/mtcnn/pnet.safetensors").getParent();
  }

  private static Path fixture(String name) {
    return resource("/fixtures/" + name);
  }

  private static Path resource(String name) {
    URL url = RealData.class.getResource(name);
    if (url == null) throw new IllegalStateException("no " + name + " on the classpath");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
