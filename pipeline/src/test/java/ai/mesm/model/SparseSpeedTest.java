package ai.mesm.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.bench.SparseSpeed;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.media.VisualNormalisation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** make bench's MESM vs FE2E measurement on a tiny network: what it reports, and which utterances it takes. */
class SparseSpeedTest {
  private static final float[] MEAN = VisualNormalisation.defaults().mean();
  private static final float[] STD = VisualNormalisation.defaults().std();

  @Test
  void takesTheFirstUtterancesThatHaveTheModalityAndReportsEveryP() throws IOException {
    ModelSpec spec = RandomInputs.tinySpec(List.of(Modality.TEXT, Modality.AUDIO, Modality.VISUAL), false);
    EmotionModel model = EmotionModel.create(spec, RandomInputs.tokenizer(spec.vocabSize()), MEAN, STD);
    Random r = new Random(3);
    List<Example> examples = new ArrayList<>();
    examples.add(RandomInputs.example(spec, "no-face", 0, 2, r));
    for (int i = 0; i < 4; i++) examples.add(RandomInputs.example(spec, "u" + i, 1 + i, 2, r));

    SparseSpeed.Input faces = SparseSpeed.Input.utterances(ExampleSource.of(examples), model.batchBuilder(),
        Modality.VISUAL, 3).orElseThrow();
    assertEquals("corpus", faces.label());
    assertEquals(3, faces.features().size(0), "the first 3 utterances with frames");
    assertEquals(1 + 2 + 3, faces.mask().sumNumber().intValue(), "their real frames, the frameless one skipped");
    assertTrue(SparseSpeed.Input.utterances(ExampleSource.of(examples.subList(0, 1)), model.batchBuilder(),
        Modality.VISUAL, 3).isEmpty(), "no utterance with frames");

    double[] ps = {0.3, 1.0};
    List<SparseSpeed.Row> rows = SparseSpeed.measure(spec, Modality.VISUAL, faces, ps, 1, 7);
    assertEquals(2, rows.size());
    double fe2eMacs = FeatureCnn.macs(FeatureCnn.layers(spec.channelDivisor()), 3, spec.faceSize(), spec.faceSize());
    double stemMacs = FeatureCnn.macs(FeatureCnn.layers(spec.channelDivisor()).subList(0, FeatureCnn.MESM_DENSE_LAYERS),
        3, spec.faceSize(), spec.faceSize());
    for (SparseSpeed.Row row : rows) {
      assertEquals(stemMacs / fe2eMacs, row.stemFlopsRatio(), 1e-9, "the stem is the same in both models");
      assertTrue(row.timeRatio() > 0 && Double.isFinite(row.timeRatio()));
      assertTrue(row.stemTimeRatio() > 0 && Double.isFinite(row.blocksTimeRatio()));
      assertEquals(3, row.keptFraction().length, "one fraction per sparse block");
      assertTrue(row.describe().startsWith("visual corpus p="), row.describe());
      String againstFlops = String.format(java.util.Locale.ROOT, "(%.2fx the FLOPs ratio)", row.timeRatio() / row.flopsRatio());
      assertTrue(row.describe().contains(againstFlops), row.describe());
    }
    assertTrue(rows.get(0).flopsRatio() < rows.get(1).flopsRatio(), "p = 0.3 keeps fewer sites than p = 1");
    assertTrue(rows.get(0).blocksFlopsRatio() < rows.get(1).blocksFlopsRatio());
    // At p = 1 every site of block 1 is kept, and the blocks count about the dense layers' work (less: the
    // dense count includes the zero padding's pairs at the borders of these tiny grids).
    assertEquals(1.0, rows.get(1).keptFraction()[0], 1e-12);
    double full = rows.get(1).blocksFlopsRatio();
    assertTrue(full > 0.4 && full < 1.1, "blocks' FLOPs at p = 1 against the dense layers: " + full);
  }
}
