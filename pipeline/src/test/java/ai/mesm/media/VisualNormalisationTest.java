package ai.mesm.media;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigKeys;
import ai.mesm.config.MesmConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisualNormalisationTest {
  @Test
  void defaultsAreReferenceConfsAndAConfigurationOverridesThem() {
    MesmConfig defaults = MesmConfig.defaults();
    float[] mean = VisualNormalisation.defaults().mean();
    assertEquals(3, mean.length);
    for (int c = 0; c < 3; c++) {
      assertEquals(defaults.getDoubleList(ConfigKeys.VISUAL_MEAN).get(c).floatValue(), mean[c]);
      assertEquals(defaults.getDoubleList(ConfigKeys.VISUAL_STD).get(c).floatValue(),
          VisualNormalisation.defaults().std()[c]);
    }
    MesmConfig other = defaults.with(Map.of(ConfigKeys.VISUAL_STD, "[1, 2, 3]"));
    assertArrayEquals(new float[] {1, 2, 3}, VisualNormalisation.from(other).std());
    mean[0] = -1;
    assertNotEquals(-1f, VisualNormalisation.defaults().mean()[0], "callers get copies");
  }
}
