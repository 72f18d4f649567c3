package ai.mesm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.mesm.model.Batch;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.RandomInputs;
import ai.mesm.model.layers.FoldedCnn;
import ai.mesm.testing.NativeCnnExpected;
import ai.mesm.testing.Slow;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

@Slow
class StepProfileTest {

  /**
   * A training step of a small FE2E is sampled on this thread and its samples land in the parts
   * the network has (both directions of each CNN and encoder, by modality; the optimizer), not in "other";
   * inference has no backward part. The parts' times, from the sampler's clock, add up to the steps'
   * time measured around them within 10 %, and the parts of the network account for at least 80 %
   * of it (the max-pool splits its planes over the cores: its wait counts as its time).
   */
  @Test
  void trainingAndInferenceStepsAreSampledIntoTheNetworksParts() throws Exception {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), true).toBuilder()
        .faceSize(48).melBins(64).chunkFrames(32).build();
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), new float[] {120, 110, 100},
        new float[] {60, 60, 60});
    Batch batch = ModelThroughput.randomBatch(spec, 8, 10, 13, 3);
    // 40 steps: the encoders' forward pass is well under a millisecond of a step here, and 20 steps
    // (100-200 samples) missed it in a clean-clone run once.
    StepProfile.Profile training = StepProfile.of(() -> model.fit(batch), 40);
    Map<String, Integer> parts = training.parts().stream().collect(Collectors.toMap(StepProfile.Part::name,
        StepProfile.Part::samples));
    System.out.println(training.describe());
    assertTrue(training.samples() >= 100, "samples: " + training.samples());
    addUp(training);
    // The convolutions take milliseconds per step in each CNN and direction: each must have its line
    // by modality. Parts of a millisecond or less may fall between samples, so for them the part
    // itself (any network) must be there.
    for (String part : List.of("CNN convolutions (visual), forward", "CNN convolutions (audio), forward",
        "CNN convolutions (visual), backward", "CNN convolutions (audio), backward", "optimizer update")) {
      assertTrue(parts.containsKey(part), part + " in " + parts.keySet());
    }
    Set<String> anyNetwork = parts.keySet().stream().map(p -> p.replaceAll(" \\([a-z]+\\)", "")).collect(Collectors.toSet());
    for (String part : List.of("CNN BatchNorm + ReLU, backward", "CNN max-pool, forward", "Transformer encoders, forward",
        "Transformer encoders, backward")) {
      assertTrue(anyNetwork.contains(part), part + " in " + parts.keySet());
    }

    EmotionModel frozen = model.frozen();
    StepProfile.Profile inference = StepProfile.of(() -> frozen.probabilities(batch), 40);
    System.out.println(inference.describe());
    addUp(inference);
    assertTrue(inference.parts().stream().noneMatch(p -> p.name().endsWith("backward") || p.name().contains("BatchNorm")),
        "frozen inference runs no backward pass and no BatchNorm: " + inference.parts());
    // With AVX-512 (this machine) each frozen CNN is one native pass, by modality; else DL4J's folded layers.
    Set<String> inferenceParts = inference.parts().stream().map(StepProfile.Part::name).collect(Collectors.toSet());
    boolean nativeCnn = NativeCnnExpected.here();
    assertEquals(nativeCnn, FoldedCnn.available(DataType.FLOAT));
    List<String> cnnParts = nativeCnn ? List.of("CNN folded, native (visual), forward", "CNN folded, native (audio), forward")
        : List.of("CNN convolutions, forward");
    for (String part : cnnParts) {
      assertTrue(inferenceParts.contains(part), part + " in " + inferenceParts);
    }
  }

  private static void addUp(StepProfile.Profile profile) {
    double parts = profile.parts().stream().mapToDouble(StepProfile.Part::seconds).sum();
    assertEquals(profile.seconds(), parts, 0.1 * profile.seconds(), "the parts' time against the measured time");
    assertEquals(parts / profile.seconds(), profile.coverage(), 1e-9);
    // "other" is DL4J's and the caller's bookkeeping around the layers (3-10 % here, more on a busy machine).
    assertTrue(profile.unattributedSeconds() < 0.2 * profile.seconds(), "time in no part of the network: "
        + profile.describe());
  }
}
