package ai.mesm.corpus;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;
import java.util.Optional;

/** The generator's settings (mesm.corpus.*), read once from a validated configuration. */
public record CorpusSettings(
    String output, List<String> layouts, int size, double noise, String facePhoto, int threads,
    double minUtteranceS, double maxUtteranceS, long seed,
    int iemocapUtterancesPerDialog, double iemocapOutOfClass, int iemocapWidth, int iemocapHeight,
    int moseiClipsPerVideo, int moseiAnnotators, double moseiMissingWav, boolean moseiDefects,
    int moseiWidth, int moseiHeight, double frameRate) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.location(CORPUS_OUTPUT, false),
        Rules.subsetOf(CORPUS_LAYOUTS, "iemocap", "mosei"),
        Rules.atLeast(CORPUS_SIZE, 1),
        Rules.fraction(CORPUS_NOISE),
        Rules.atLeast(CORPUS_THREADS, 0),
        Rules.positive(CORPUS_MIN_UTTERANCE_S),
        new Rule(CORPUS_MAX_UTTERANCE_S, c -> c.getDouble(CORPUS_MAX_UTTERANCE_S) < c.getDouble(CORPUS_MIN_UTTERANCE_S)
            ? Optional.of("must be >= " + CORPUS_MIN_UTTERANCE_S + " (" + c.getDouble(CORPUS_MIN_UTTERANCE_S) + ")")
            : Optional.empty()),
        Rules.atLeast(CORPUS_IEMOCAP_UTTERANCES_PER_DIALOG, 2),
        Rules.fraction(CORPUS_IEMOCAP_OUT_OF_CLASS),
        Rules.evenAtLeast(CORPUS_IEMOCAP_WIDTH, 96),
        Rules.evenAtLeast(CORPUS_IEMOCAP_HEIGHT, 48),
        Rules.atLeast(CORPUS_MOSEI_CLIPS_PER_VIDEO, 1),
        Rules.atLeast(CORPUS_MOSEI_ANNOTATORS, 1),
        Rules.fraction(CORPUS_MOSEI_MISSING_WAV),
        Rules.evenAtLeast(CORPUS_MOSEI_WIDTH, 48),
        Rules.evenAtLeast(CORPUS_MOSEI_HEIGHT, 48),
        new Rule(CORPUS_FRAME_RATE, c -> {
          double fps = c.getDouble(CORPUS_FRAME_RATE);
          return fps == 0 || (fps >= 4 && fps <= 60) ? Optional.empty()
              : Optional.of("must be 0 (the releases' rates) or between 4 and 60 frames per second, not " + fps);
        }));
  }

  public static CorpusSettings from(MesmConfig c) {
    return new CorpusSettings(
        c.getString(CORPUS_OUTPUT), c.getStringList(CORPUS_LAYOUTS), c.getInt(CORPUS_SIZE),
        c.getDouble(CORPUS_NOISE), c.getString(CORPUS_FACE_PHOTO), c.getInt(CORPUS_THREADS),
        c.getDouble(CORPUS_MIN_UTTERANCE_S), c.getDouble(CORPUS_MAX_UTTERANCE_S), c.getLong(SEED),
        c.getInt(CORPUS_IEMOCAP_UTTERANCES_PER_DIALOG), c.getDouble(CORPUS_IEMOCAP_OUT_OF_CLASS),
        c.getInt(CORPUS_IEMOCAP_WIDTH), c.getInt(CORPUS_IEMOCAP_HEIGHT),
        c.getInt(CORPUS_MOSEI_CLIPS_PER_VIDEO), c.getInt(CORPUS_MOSEI_ANNOTATORS),
        c.getDouble(CORPUS_MOSEI_MISSING_WAV), c.getBoolean(CORPUS_MOSEI_DEFECTS),
        c.getInt(CORPUS_MOSEI_WIDTH), c.getInt(CORPUS_MOSEI_HEIGHT), c.getDouble(CORPUS_FRAME_RATE));
  }

  /** The frame rate of a generated video whose release would have {@code releaseRate}. */
  public double frameRate(double releaseRate) {
    return frameRate > 0 ? frameRate : releaseRate;
  }

  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
