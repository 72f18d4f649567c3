package ai.mesm.train;

import ai.mesm.config.MesmConfig;
import ai.mesm.io.AtomicOutput;
import ai.mesm.io.PathSettings;
import ai.mesm.model.EmotionModel;
import ai.mesm.model.Modality;
import ai.mesm.model.ModelArtifact;
import ai.mesm.model.ModelSpec;
import ai.mesm.model.text.TextTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A run's checkpoints on any Hadoop filesystem: {@code <location>/epoch-0003/} holds the model
 * with its optimiser state, the tokenizer, the best epoch's parameters and, written last
 * ({@link AtomicOutput}), a manifest with the epoch counter, early-stopping state, history and
 * sessions. A checkpoint belongs to one training identity (the settings that change what is
 * computed, and the split): resuming with different ones is refused, naming the keys.
 */
public final class Checkpoints {
  public static final int FORMAT = 2;
  static final String BEST = "best-params.bin";
  private static final String PREFIX = "epoch-";
  private final String location;
  private final int every;
  private final int keep;
  private final JsonObject identity;
  private final Configuration conf;

  Checkpoints(String location, int every, int keep, JsonObject identity, Configuration conf) {
    this.location = location;
    this.every = every;
    this.keep = keep;
    this.identity = identity;
    this.conf = conf;
  }

  /** The checkpoints of the run named {@code run} under {@code paths}, kept as {@link CheckpointSettings} says. */
  public static Checkpoints of(MesmConfig config, PathSettings paths, String run, String splitFingerprint,
                               Configuration conf) {
    JsonObject identity = new JsonObject();
    identity.add("config", TrainingIdentity.of(config));
    identity.addProperty("split", splitFingerprint);
    CheckpointSettings settings = CheckpointSettings.of(config);
    return new Checkpoints(paths.checkpointsLocation(run), settings.every(), settings.keep(), identity, conf);
  }

  public String location() {
    return location;
  }

  /** False with train.checkpoint-every = 0: the run keeps no checkpoints. */
  public boolean enabled() {
    return every > 0;
  }

  public boolean due(int epoch) {
    return every > 0 && epoch % every == 0;
  }

  /** Writes the checkpoint of {@code state.epochs()} atomically, then deletes all but the newest {@code keep}. */
  public String save(EmotionModel model, TrainingState state) throws IOException {
    String folder = new Path(location, String.format(Locale.ROOT, PREFIX + "%04d", state.epochs())).toString();
    AtomicOutput out = new AtomicOutput(folder, conf);
    ModelArtifact.stage(model, out);
    if (state.best() != null) ModelArtifact.writeArray(out, BEST, state.best());
    out.publish(manifest(state).toString());
    prune();
    return folder;
  }

  /** A checkpoint read back: the model's graph with its optimiser state, its tokenizer, the loop's state. */
  public record Resumed(String folder, ComputationGraph graph, TextTokenizer tokenizer, TrainingState state) {}

  /**
   * The newest complete checkpoint that reads back whole, or null when there is none. One that
   * cannot be read (a file cut short by a crash or a full disk, damaged, missing) is skipped with a
   * warning on {@code log} naming the file and the problem, and the one before it is tried; one
   * written with other settings is refused.
   *
   * @param spec the model of a checkpoint with this tokenizer (null for models without text): the
   *             graph its weights are read into, so that their sizes are checked against it
   * @throws IOException when checkpoints exist but none can be read, naming each and why
   */
  public Resumed latest(Function<TextTokenizer, ModelSpec> spec, Consumer<String> log) throws IOException {
    List<Path> complete = complete();
    if (complete.isEmpty()) return null;
    List<String> failures = new ArrayList<>();
    for (int i = complete.size() - 1; i >= 0; i--) {
      Path folder = complete.get(i);
      try {
        return read(folder, spec);
      } catch (OtherSettingsException e) {
        throw e;
      } catch (IOException e) {
        failures.add(folder.getName() + " (" + e.getMessage() + ")");
        if (i > 0) log.accept("--resume: skipping " + folder + ": " + e.getMessage() + "; trying the checkpoint before it");
      }
    }
    throw new IOException("--resume: no checkpoint under " + location + " can be read: " + String.join("; ", failures)
        + "; rerun without --resume to start afresh");
  }

  private Resumed read(Path folder, Function<TextTokenizer, ModelSpec> specOf) throws IOException {
    Path manifestFile = new Path(folder, AtomicOutput.MANIFEST);
    JsonObject theirs;
    TrainingState state;
    try {
      JsonObject m = JsonParser.parseString(AtomicOutput.requireComplete(folder.toString(), conf, "TrainJob"))
          .getAsJsonObject();
      if (m.get("format").getAsInt() != FORMAT) {
        throw new IOException(manifestFile + ": checkpoint format " + m.get("format") + ", this version reads " + FORMAT);
      }
      theirs = m.getAsJsonObject("identity");
      if (theirs == null) throw new IOException(manifestFile + ": no training identity");
      state = state(m);
    } catch (RuntimeException e) {
      throw new IOException(manifestFile + ": unreadable: " + e.getMessage(), e);
    }
    if (!identity.equals(theirs)) {
      throw new OtherSettingsException(folder + ": this checkpoint was written with other settings or another split, so "
          + "--resume cannot continue it (differences: " + differences(theirs, identity) + "); rerun without --resume, or "
          + "with the settings it was written with");
    }
    FileSystem fs = folder.getFileSystem(conf);
    TextTokenizer tokenizer = ModelArtifact.readTokenizer(fs, folder);
    ModelSpec spec = specOf.apply(tokenizer);
    if (spec.uses(Modality.TEXT) && tokenizer == null) {
      throw new IOException(new Path(folder, ModelArtifact.TOKENIZER) + ": missing");
    }
    ComputationGraph graph = ModelArtifact.readGraph(fs, folder, spec);
    // Written whenever an epoch was best; without it the run could not end on its best parameters.
    INDArray best = state.bestEpoch() > 0
        ? ModelArtifact.readArray(fs, new Path(folder, BEST), ModelArtifact.parameterCount(graph)) : null;
    return new Resumed(folder.toString(), graph, tokenizer, state.withBest(best));
  }

  /**
   * A checkpoint of this run written with other settings: never skipped for an older one. Public so
   * that a stage which retrains on changed settings (the reproduce job) can tell it from damage.
   */
  public static final class OtherSettingsException extends IOException {
    OtherSettingsException(String message) {
      super(message);
    }
  }

  private JsonObject manifest(TrainingState s) {
    JsonObject m = new JsonObject();
    m.addProperty("format", FORMAT);
    m.addProperty("epochs", s.epochs());
    m.addProperty("best_epoch", s.bestEpoch());
    m.addProperty("best_score", s.bestScore());
    m.add("history", EpochResult.toJson(s.history()));
    m.add("sessions", sessionsJson(s.sessions()));
    m.add("identity", identity);
    return m;
  }

  /** The loop's state in a checkpoint manifest, without the best parameters (a file of their own). */
  private static TrainingState state(JsonObject m) {
    List<TrainingState.Session> sessions = new ArrayList<>();
    for (JsonElement e : m.getAsJsonArray("sessions")) {
      JsonObject o = e.getAsJsonObject();
      sessions.add(new TrainingState.Session(o.get("started").getAsString(), o.get("first_epoch").getAsInt(),
          o.get("last_epoch").getAsInt(), o.get("mode").getAsString()));
    }
    return new TrainingState(m.get("epochs").getAsInt(), m.get("best_epoch").getAsInt(),
        m.get("best_score").getAsDouble(), EpochResult.fromJson(m.getAsJsonArray("history")), sessions, null);
  }

  public static JsonArray sessionsJson(List<TrainingState.Session> sessions) {
    JsonArray a = new JsonArray();
    for (TrainingState.Session s : sessions) {
      JsonObject o = new JsonObject();
      o.addProperty("started", s.started());
      o.addProperty("first_epoch", s.firstEpoch());
      o.addProperty("last_epoch", s.lastEpoch());
      o.addProperty("mode", s.mode());
      a.add(o);
    }
    return a;
  }

  /** Complete checkpoint folders, oldest first. */
  private List<Path> complete() throws IOException {
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    List<Path> out = new ArrayList<>();
    if (!fs.exists(root)) return out;
    for (FileStatus f : fs.listStatus(root)) {
      if (f.isDirectory() && f.getPath().getName().startsWith(PREFIX)
          && fs.exists(new Path(f.getPath(), AtomicOutput.MANIFEST))) {
        out.add(f.getPath());
      }
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  private void prune() throws IOException {
    List<Path> complete = complete();
    if (complete.size() <= keep) return;
    String oldestKept = complete.get(complete.size() - keep).getName();
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(conf);
    for (FileStatus f : fs.listStatus(root)) {
      String name = f.getPath().getName();
      if (name.startsWith(PREFIX) && name.compareTo(oldestKept) < 0) fs.delete(f.getPath(), true);
    }
  }

  /** The keys whose values differ between two identities, e.g. "mesm.train.batch-size: 8 -> 16". */
  static String differences(JsonObject a, JsonObject b) {
    Map<String, String> fa = new TreeMap<>();
    Map<String, String> fb = new TreeMap<>();
    flatten("", a, fa);
    flatten("", b, fb);
    List<String> out = new ArrayList<>();
    TreeMap<String, String> keys = new TreeMap<>(fa);
    fb.forEach(keys::putIfAbsent);
    for (String k : keys.keySet()) {
      String x = fa.get(k);
      String y = fb.get(k);
      if (x == null || !x.equals(y)) out.add(k.replaceFirst("^config\\.", "") + ": " + x + " -> " + y);
    }
    return out.size() <= 5 ? String.join("; ", out) : String.join("; ", out.subList(0, 5)) + "; …";
  }

  private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        flatten(prefix.isEmpty() ? m.getKey() : prefix + "." + m.getKey(), m.getValue(), out);
      }
    } else {
      out.put(prefix, e.toString());
    }
  }
}
