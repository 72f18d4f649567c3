package ai.mesm.corpus;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import java.util.List;

/** The generator's settings (mesm.corpus.*), read once from a validated configuration. */
public record CorpusSettings(
    String output, List<String> layouts, int size, double noise, String facePhoto, int threads,
    double minUtteranceS, double maxUtteranceS, long seed,
    int iemocapUtterancesPerDialog, double iemocapOutOfClass, int iemocapWidth, int iemocapHeight,
    int moseiClipsPerVideo, int moseiAnnotators, double moseiMissingWav, boolean moseiDefects,
    int moseiWidth, int moseiHeight) {

  public static CorpusSettings from(MesmConfig c) {
    return new CorpusSettings(
        c.getString(CORPUS_OUTPUT), c.getStringList(CORPUS_LAYOUTS), c.getInt(CORPUS_SIZE),
        c.getDouble(CORPUS_NOISE), c.getString(CORPUS_FACE_PHOTO), c.getInt(CORPUS_THREADS),
        c.getDouble(CORPUS_MIN_UTTERANCE_S), c.getDouble(CORPUS_MAX_UTTERANCE_S), c.getLong(SEED),
        c.getInt(CORPUS_IEMOCAP_UTTERANCES_PER_DIALOG), c.getDouble(CORPUS_IEMOCAP_OUT_OF_CLASS),
        c.getInt(CORPUS_IEMOCAP_WIDTH), c.getInt(CORPUS_IEMOCAP_HEIGHT),
        c.getInt(CORPUS_MOSEI_CLIPS_PER_VIDEO), c.getInt(CORPUS_MOSEI_ANNOTATORS),
        c.getDouble(CORPUS_MOSEI_MISSING_WAV), c.getBoolean(CORPUS_MOSEI_DEFECTS),
        c.getInt(CORPUS_MOSEI_WIDTH), c.getInt(CORPUS_MOSEI_HEIGHT));
  }

  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
