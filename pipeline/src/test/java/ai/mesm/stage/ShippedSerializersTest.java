package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.config.ConfigLoader;
import ai.mesm.ingest.Reject;
import ai.mesm.ingest.RejectReason;
import ai.mesm.ingest.SourceSummary;
import ai.mesm.ingest.UtteranceRecord;
import ai.mesm.score.VideoScorer;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What the stages cache and collect (ingest's items, scoring's per-video results; records, with
 * immutable collections) goes through the serializer of every shipped configuration. Kryo 4, as
 * Spark ships it, cannot read a record's fields, and cluster-cpu.conf once set it: an ingest on
 * such a cluster failed at its first cached item.
 */
class ShippedSerializersTest {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

  @Test
  void everyShippedConfigurationCarriesTheStagesItems() throws Exception {
    File[] files = new File("../conf").listFiles((d, n) -> n.endsWith(".conf"));
    assertNotNull(files);
    List<String> checked = new ArrayList<>();
    for (File f : files) {
      String name = ConfigLoader.load(List.of(f), Map.of()).sparkConf()
          .getOrDefault("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
      SerializerInstance serializer = ((Serializer) Class.forName(name).getConstructor(SparkConf.class)
          .newInstance(new SparkConf())).newInstance();
      for (Object item : items()) {
        Object back;
        try {
          back = serializer.deserialize(serializer.serialize(item, ANY), ANY);
        } catch (RuntimeException e) {
          throw new AssertionError(f.getName() + ": " + name + " cannot carry a " + item.getClass().getSimpleName(), e);
        }
        assertEquals(describe(item), describe(back), f.getName() + ": " + name);
      }
      checked.add(f.getName());
    }
    assertTrue(checked.containsAll(List.of("cluster-cpu.conf", "cluster-gpu.conf", "cluster-standalone.conf")), checked.toString());
  }

  private static List<Object> items() {
    float[] mel = {1.5f, -2f, 3.25f};
    return List.of(
        new UtteranceRecord("iemocap", "Ses01F_impro01_F000", "Ses01F_impro01", "s3a://b/v.avi", "s3a://b/a.wav", "F",
            "left", 1.0, 3.5, "hello", List.of(0, 0, 0, 0, 1, 0), List.of("neu"), 2, new double[] {1.0, 1.5},
            new boolean[] {true, false}, new float[] {1, 2, 3, 4, Float.NaN, Float.NaN, Float.NaN, Float.NaN},
            new byte[] {1, 2, 3}, 1, 20, mel, "mtcnn"),
        Reject.of("iemocap", RejectReason.DUPLICATE_UTTERANCE_ID, "s3a://b/v.avi", "Ses01F_impro01_F000", 3, "twice"),
        new SourceSummary(true, 10, 9, List.of(new SourceSummary.Cut("u1", "s3a://b/v.avi")), 12.5,
            Map.of("line", Map.of("no_label", 1L)), Map.of("decode", 1.0, "source", 2.0)),
        new VideoScorer.Result("s3a://b/v.mp4", List.of(), List.of(), 0, 1.0, Map.of("decode", 0.5)));
  }

  /** A record's text, with its arrays' contents. */
  private static String describe(Object item) {
    if (!(item instanceof UtteranceRecord u)) return item.toString();
    return u.utteranceId() + Arrays.toString(u.frameTimes()) + Arrays.toString(u.faceFound())
        + Arrays.toString(u.faceBoxes()) + Arrays.toString(u.frames()) + Arrays.toString(u.mel()) + u.labels() + u.text();
  }
}
