package ai.mesm.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.mesm.bench.ScoreThroughput;
import ai.mesm.config.ConfigLoader;
import ai.mesm.config.MesmConfig;
import ai.mesm.corpus.CorpusSettings;
import ai.mesm.corpus.DemoArchive;
import ai.mesm.corpus.SyntheticCorpusGenerator;
import ai.mesm.ingest.MoseiSegment;
import ai.mesm.ingest.MoseiTranscriptFormat;
import ai.mesm.media.FrameSampler;
import ai.mesm.media.MediaSettings;
import ai.mesm.model.text.WordPieceTrainer;
import ai.mesm.testing.Slow;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory follows the longest utterance, not the video (docs/reliability.md#5): a generated
 * 20-minute IEMOCAP dialog (two actors, its stereo wav, an utterance every few seconds) is ingested
 * and a 20-minute CMU-MOSEI video is scored, by the executors' own task functions (a crop per
 * sample and actor, without a face search), in a JVM whose heap is less than half of what holding
 * the dialog's audio track and face crops would take. A decoder that kept the whole track, or a
 * task that kept every crop until the end, fails here with an OutOfMemoryError.
 */
@Slow
class LongVideoSmallHeapTest {
  static final double MINUTES = 20;
  /** The child JVM's heap. ND4J's arrays are off the heap; their own cap is set apart. */
  static final int HEAP_MIB = 64;
  /** The generator's mean utterance plus gap (2.75 s + 0.75 s): sizes the corpus to a duration. */
  static final double SECONDS_PER_UTTERANCE = 3.5;
  @TempDir static Path dir;

  @Test
  void aTwentyMinuteDialogIsIngestedAndAVideoScoredInAHeapSmallerThanItsAudioAndCrops() throws Exception {
    Path corpus = dir.resolve("corpus");
    String n = Long.toString(Math.round(MINUTES * 60 / SECONDS_PER_UTTERANCE) + 10);
    new SyntheticCorpusGenerator(CorpusSettings.from(ConfigLoader.load(List.of(), Map.ofEntries(
        Map.entry("corpus.size", n), Map.entry("corpus.iemocap.utterances-per-dialog", n),
        Map.entry("corpus.mosei.clips-per-video", n), Map.entry("corpus.mosei.defects", "false"),
        Map.entry("corpus.mosei.missing-wav-fraction", "1"), Map.entry("corpus.layouts", "[iemocap, mosei]"),
        Map.entry("corpus.iemocap.frame-width", "96"), Map.entry("corpus.iemocap.frame-height", "48"),
        Map.entry("corpus.mosei.frame-width", "48"), Map.entry("corpus.mosei.frame-height", "48"),
        // Ingest and scoring sample 2 frames per second whatever the rate: at 4 the fewest frames to make and decode.
        Map.entry("corpus.frame-rate", "4"))))).generate(corpus);
    Path avi = only(corpus.resolve("IEMOCAP_full_release"), ".avi");
    Path mp4 = only(corpus.resolve("CMU_MOSEI/Videos/Full/Combined"), ".mp4");
    double dialogS = FrameSampler.probe(avi).durationS();
    double videoS = FrameSampler.probe(mp4).durationS();
    assertTrue(dialogS >= MINUTES * 60 && videoS >= MINUTES * 60, "generated " + dialogS + " s and " + videoS + " s");

    // What holding the dialog would take: its stereo track as floats, and a crop per sample and actor.
    MediaSettings media = MediaSettings.from(ConfigLoader.load(List.of(), Map.of("dataset", "iemocap")));
    long crops = Math.round(dialogS * 1000 / media.frameIntervalMs()) * 2;
    long holding = Math.round(dialogS * media.sampleRate()) * 2 * Float.BYTES
        + crops * media.faceSize() * media.faceSize() * 3;
    assertTrue(2L * HEAP_MIB << 20 <= holding, "the heap must be well below " + (holding >> 20) + " MiB");

    // The video to score, with an .srt of its transcript beside it, and an initialised model.
    String id = mp4.getFileName().toString().replace(".mp4", "");
    Path transcript = corpus.resolve("CMU_MOSEI/Transcript/Segmented/Combined/" + id + ".txt");
    List<MoseiSegment> segments = new ArrayList<>(MoseiTranscriptFormat.parse(transcript.toString(),
        Files.readAllLines(transcript, StandardCharsets.UTF_8)).items());
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Files.copy(mp4, archive.resolve("long.mp4"));
    Files.writeString(archive.resolve("long.srt"), DemoArchive.subRip(segments));
    MesmConfig small = ConfigLoader.load(List.of(), Map.of("dataset", "mosei", "model.type", "fe2e",
        "model.cnn.channel-divisor", "16", "model.dim", "32", "model.layers", "1", "model.feed-forward", "64"));
    String model = dir.resolve("model").toString();
    ScoreThroughput.saveInitialisedModel(small, WordPieceTrainer.train(segments.stream().map(MoseiSegment::text)
        .toList(), 500, 1), model, new Configuration());

    String out = runWithSmallHeap(corpus.toString(), archive.resolve("long.mp4").toString(), model);

    List<String> truth = Files.readAllLines(corpus.resolve("_truth/iemocap.csv"));
    long planned = truth.size() - 1;
    // The generator plants out-of-class labels; those are rejects by design.
    long accepted = truth.stream().filter(l -> l.split(",", 11)[9].equals("accepted")).count();
    Matcher ingest = find(out, "ingest sources=1 accepted=1 utterances=(\\d+) rejects=(\\d+) media_s=([\\d.]+)");
    long utterances = Long.parseLong(ingest.group(1));
    assertEquals(planned, utterances + Long.parseLong(ingest.group(2)), "every utterance a row or a reject\n" + out);
    assertEquals(accepted, utterances, out);
    assertTrue(Double.parseDouble(ingest.group(3)) >= MINUTES * 60, out);
    Matcher score = find(out, "score segments=(\\d+) rows=(\\d+) rejects=(\\d+) media_s=([\\d.]+)");
    assertEquals(segments.size(), Integer.parseInt(score.group(1)), out);
    assertEquals(segments.size(), Integer.parseInt(score.group(2)) + Integer.parseInt(score.group(3)), out);
    assertTrue(Integer.parseInt(score.group(2)) >= 0.95 * segments.size(), out);
    assertTrue(Double.parseDouble(score.group(4)) >= MINUTES * 60, out);
    assertTrue(Long.parseLong(find(out, "heap max_mib=(\\d+)").group(1)) <= HEAP_MIB, out);
  }

  /** LongVideoTask in a JVM of its own: this JVM's flags and class path, a small heap. */
  private static String runWithSmallHeap(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-Xmx") && !flag.startsWith("-XX:MaxRAM") && !flag.startsWith("-agentlib")) command.add(flag);
    }
    command.addAll(List.of("-Xmx" + HEAP_MIB + "m", "-Dorg.bytedeco.javacpp.maxbytes=2g",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-cp", System.getProperty("java.class.path"),
        LongVideoTask.class.getName()));
    command.addAll(List.of(args));
    Path log = dir.resolve("task.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) p.destroyForcibly();
    String out = Files.readString(log);
    assertTrue(done && p.exitValue() == 0, "the task JVM failed (exit " + (done ? p.exitValue() : "timeout") + "):\n"
        + tail(out));
    return out;
  }

  private static Matcher find(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertTrue(m.find(), "no line like /" + regex + "/ in\n" + tail(out));
    return m;
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }

  private static Path only(Path folder, String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(folder)) {
      List<Path> found = s.filter(p -> p.toString().endsWith(suffix)).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }
}
