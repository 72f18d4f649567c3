package ai.mesm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.model.Batch;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.RandomInputs;
import ai.mesm.testing.Slow;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@Slow
class StepProfileTest {

  /**
   * A training step of a small FE2E is sampled on this thread and its samples land in the parts
   * the network has (both directions of the CNN and the encoder, the optimizer), not in "other";
   * inference has no backward part. The parts share out the measured time. (The recorder samples
   * one thread in native code per period, so other threads waiting in native calls, such as a
   * Spark session's, lower the coverage: the bound only checks the arithmetic.)
   */
  @Test
  void trainingAndInferenceStepsAreSampledIntoTheNetworksParts() throws Exception {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), true).toBuilder()
        .faceSize(48).melBins(64).chunkFrames(32).build();
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), new float[] {120, 110, 100},
        new float[] {60, 60, 60});
    Batch batch = ModelThroughput.randomBatch(spec, 8, 10, 13, 3);
    StepProfile.Profile training = StepProfile.of(() -> model.fit(batch), 20);
    Map<String, Integer> parts = training.parts().stream().collect(Collectors.toMap(StepProfile.Part::name,
        StepProfile.Part::samples));
    System.out.println(training.describe());
    assertTrue(training.samples() >= 20, "samples: " + training.samples());
    assertTrue(training.coverage() > 0.05 && training.coverage() < 1.3, "coverage " + training.coverage());
    for (String part : List.of("CNN convolutions, forward", "CNN convolutions, backward", "CNN BatchNorm + ReLU, backward")) {
      assertTrue(parts.containsKey(part), part + " in " + parts.keySet());
    }
    int other = parts.getOrDefault("other", 0) + parts.getOrDefault("other, backward", 0);
    assertTrue(other < training.samples() / 5, "unattributed samples: " + parts);
    assertEquals(training.seconds(), training.parts().stream().mapToDouble(StepProfile.Part::seconds).sum(), 1e-9);

    EmotionModel frozen = model.frozen();
    StepProfile.Profile inference = StepProfile.of(() -> frozen.probabilities(batch), 40);
    System.out.println(inference.describe());
    assertTrue(inference.parts().stream().noneMatch(p -> p.name().endsWith("backward") || p.name().contains("BatchNorm")),
        "frozen inference runs no backward pass and no BatchNorm: " + inference.parts());
  }
}
