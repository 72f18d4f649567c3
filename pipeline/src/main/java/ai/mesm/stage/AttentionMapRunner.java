package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.Example;
import ai.mesm.data.ExampleSource;
import ai.mesm.data.ExampleStream;
import ai.mesm.eval.AttentionMaps;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.OutputGuard;
import ai.mesm.io.PathSettings;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelSettings;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.layers.MesmSparseVertex;
import ai.mesm.model.sparse.SparseBlock;
import ai.mesm.model.sparse.SparseSites;
import ai.mesm.split.Split;
import ai.mesm.train.TrainingSettings;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * The paper's attention maps (Figures 3–4) for chosen test utterances of a MESM model: one PNG
 * per drawn face frame and audio chunk with each sparse block's kept sites, and index.csv listing
 * every drawing with its kept-site counts, under paths.reports/attention-maps-&lt;model id&gt;.
 * The utterances run through the model in inference mode, exactly as when it is evaluated.
 */
public final class AttentionMapRunner {
  public static final String INDEX = "index.csv";

  private AttentionMapRunner() {}

  /** One drawing: the block masks of one frame or chunk. */
  public record Drawing(String utterance, Modality modality, int step, List<AttentionMaps.BlockMask> blocks, String file) {}

  public record Result(String reportsLocation, List<Drawing> drawings) {}

  public static Result run(MesmConfig config, Configuration hadoop, Consumer<String> log) throws IOException {
    ModelSettings.useConfiguredKernels(config);
    AttentionMapSettings settings = AttentionMapSettings.of(config);
    PathSettings paths = PathSettings.of(config);
    String name = settings.model().isBlank() ? RunNameSettings.of(config).name() : settings.model();
    String location = paths.modelLocation(name);
    ModelArtifact.Loaded loaded = ModelArtifact.load(location, hadoop);
    EmotionModel model = loaded.model().frozen();
    ModelSpec spec = model.spec();
    if (!spec.isMesm()) {
      throw new IOException(location + ": attention maps need a MESM model (model.type = mesm), this one is " + spec.type()
          + " (set " + MAPS_MODEL + ")");
    }
    String splitRoot = paths.split();
    AtomicOutput.requireComplete(splitRoot, hadoop, "SplitJob");
    List<Example> chosen = choose(ExampleSource.folder(Split.TEST.folderIn(splitRoot), hadoop), settings, splitRoot);
    int steps = settings.stepsPerUtterance();
    int batchSize = TrainingSettings.of(config).batchSize();

    String reports = paths.reportsLocation("attention-maps-" + loaded.manifest().modelId());
    OutputGuard.requireApart(hadoop, PATHS_REPORTS, reports, Map.of(PATHS_SPLIT, splitRoot, MAPS_MODEL, location));
    AtomicOutput out = new AtomicOutput(reports, hadoop);
    List<Drawing> drawings = new ArrayList<>();
    for (int from = 0; from < chosen.size(); from += batchSize) {
      List<Example> batch = chosen.subList(from, Math.min(chosen.size(), from + batchSize));
      model.probabilities(model.batchBuilder().build(batch)); // the inference pass whose kept sites are drawn
      for (Modality m : List.of(Modality.VISUAL, Modality.AUDIO)) {
        if (spec.uses(m)) drawings.addAll(draw(model.sparseVertex(m), m, batch, steps, spec, out));
      }
    }
    StringBuilder index = new StringBuilder("utterance_id,modality,step,block,grid_height,grid_width,kept_sites,file\n");
    for (Drawing d : drawings) {
      for (int b = 0; b < d.blocks().size(); b++) {
        AttentionMaps.BlockMask k = d.blocks().get(b);
        index.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%s%n", d.utterance(), d.modality().inputName(),
            d.step(), b + 1, k.height(), k.width(), k.keptCount(), d.file()));
      }
    }
    out.writeStaged(INDEX, index.toString());
    JsonObject manifest = new JsonObject();
    manifest.addProperty("model", location);
    manifest.addProperty("split", splitRoot);
    manifest.addProperty("top_p", spec.topP());
    out.publish(manifest.toString());
    log.accept(drawings.size() + " attention maps of " + chosen.size() + " utterances -> " + reports);
    return new Result(reports, drawings);
  }

  /** maps.utterances in the order given (every one must be in test), else {@link #coveringClasses} of test. */
  private static List<Example> choose(ExampleSource test, AttentionMapSettings settings, String splitRoot)
      throws IOException {
    Set<String> wanted = new LinkedHashSet<>(settings.utterances());
    Map<String, Example> found = new LinkedHashMap<>();
    try (ExampleStream s = test.open()) {
      if (wanted.isEmpty()) {
        List<Example> chosen = coveringClasses(s, settings.count());
        if (chosen.isEmpty()) throw new IOException(Split.TEST.folderIn(splitRoot) + ": no test utterances to draw");
        return chosen;
      }
      while (s.hasNext() && found.size() < wanted.size()) {
        Example e = s.next();
        if (wanted.contains(e.utteranceId())) found.put(e.utteranceId(), e);
      }
    }
    List<String> missing = wanted.stream().filter(id -> !found.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      throw new IOException(MAPS_UTTERANCES + ": not in the test split under " + splitRoot + ": " + missing);
    }
    return wanted.stream().map(found::get).toList();
  }

  /**
   * {@code count} utterances that show as many classes as they can (the paper's figures compare
   * emotions): in test order, each utterance carrying a class no earlier pick carries, then the
   * first of the others; the result lists the class-covering picks first.
   */
  static List<Example> coveringClasses(Iterator<Example> test, int count) {
    List<Example> covering = new ArrayList<>();
    List<Example> others = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    int classes = -1;
    while (test.hasNext()) {
      Example e = test.next();
      classes = e.labels().size();
      boolean adds = false;
      for (int c = 0; c < classes; c++) if (e.labels().get(c) == 1 && !covered.contains(c)) adds = true;
      if (adds && covering.size() < count) {
        for (int c = 0; c < classes; c++) if (e.labels().get(c) == 1) covered.add(c);
        covering.add(e);
      } else if (others.size() < count) {
        others.add(e);
      }
      boolean nothingToCover = covered.size() == classes || covering.size() == count;
      if (nothingToCover && covering.size() + others.size() >= count) break;
    }
    List<Example> chosen = new ArrayList<>(covering);
    for (Example e : others) if (chosen.size() < count) chosen.add(e);
    return chosen;
  }

  private static List<Drawing> draw(MesmSparseVertex vertex, Modality m, List<Example> batch, int steps, ModelSpec spec,
                                    AtomicOutput out) throws IOException {
    List<SparseBlock.Output> blocks = vertex.lastOutputs();
    int[] utteranceOfFrame = vertex.lastUtteranceOfFrame();
    List<Drawing> drawings = new ArrayList<>();
    int frame = 0; // the vertex's frames: every real step of the batch's utterances, in order
    for (int u = 0; u < batch.size(); u++) {
      Example e = batch.get(u);
      int n = m == Modality.VISUAL ? e.nFrames() : e.nChunks();
      for (int s : AttentionMaps.evenlySpaced(n, steps)) {
        int f = frame + s;
        if (utteranceOfFrame[f] != u) throw new IllegalStateException("frame " + f + " is not of utterance " + u);
        List<AttentionMaps.BlockMask> masks = new ArrayList<>();
        for (SparseBlock.Output o : blocks) masks.add(keptIn(o.trace().keptSites(), f));
        BufferedImage input = m == Modality.VISUAL ? AttentionMaps.face(e.frames(), spec.faceSize(), s)
            : AttentionMaps.spectrogram(e.mel(), s, spec.melBins(), spec.chunkFrames());
        String file = String.format(Locale.ROOT, "%s_%s_%02d.png", e.utteranceId().replaceAll("[^A-Za-z0-9._-]", "_"),
            m.inputName(), s);
        try (OutputStream png = out.createStaged(file)) {
          png.write(AttentionMaps.png(input, masks, m == Modality.AUDIO));
        }
        drawings.add(new Drawing(e.utteranceId(), m, s, masks, file));
      }
      frame += n;
    }
    return drawings;
  }

  private static AttentionMaps.BlockMask keptIn(SparseSites kept, int frame) {
    boolean[] flags = new boolean[kept.height() * kept.width()];
    for (int i = kept.frameStart(frame); i < kept.frameStart(frame + 1); i++) flags[kept.row(i) * kept.width() + kept.col(i)] = true;
    return new AttentionMaps.BlockMask(kept.height(), kept.width(), flags);
  }
}
