package ai.mesm.config;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.SafeName;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Ranges and cross-key consistency of the settings; types are checked against reference.conf. */
final class ConfigRules {
  private ConfigRules() {}

  static List<Rule> all() {
    List<Rule> rules = new ArrayList<>();
    rules.add(oneOf(DATASET, "iemocap", "mosei"));
    for (String key : List.of(PATHS_INPUT, PATHS_INGEST, PATHS_SPLIT, PATHS_MODELS, PATHS_REPORTS, PATHS_SCORES,
        CORPUS_OUTPUT)) {
      rules.add(location(key, false));
    }
    for (String key : List.of(PATHS_CHECKPOINTS, SPLIT_FILES, SCORE_INPUT, SCORE_SEGMENTS, MTCNN_WEIGHTS)) {
      rules.add(location(key, true));
    }

    rules.add(subsetOf(CORPUS_LAYOUTS, "iemocap", "mosei"));
    rules.add(atLeast(CORPUS_SIZE, 1));
    rules.add(fraction(CORPUS_NOISE));
    rules.add(atLeast(CORPUS_THREADS, 0));
    rules.add(positive(CORPUS_MIN_UTTERANCE_S));
    rules.add(new Rule(CORPUS_MAX_UTTERANCE_S, c -> c.getDouble(CORPUS_MAX_UTTERANCE_S) < c.getDouble(CORPUS_MIN_UTTERANCE_S)
        ? Optional.of("must be >= " + CORPUS_MIN_UTTERANCE_S + " (" + c.getDouble(CORPUS_MIN_UTTERANCE_S) + ")")
        : Optional.empty()));
    rules.add(atLeast(CORPUS_IEMOCAP_UTTERANCES_PER_DIALOG, 2));
    rules.add(fraction(CORPUS_IEMOCAP_OUT_OF_CLASS));
    rules.add(evenAtLeast(CORPUS_IEMOCAP_WIDTH, 96));
    rules.add(evenAtLeast(CORPUS_IEMOCAP_HEIGHT, 48));
    rules.add(atLeast(CORPUS_MOSEI_CLIPS_PER_VIDEO, 1));
    rules.add(atLeast(CORPUS_MOSEI_ANNOTATORS, 1));
    rules.add(fraction(CORPUS_MOSEI_MISSING_WAV));
    rules.add(evenAtLeast(CORPUS_MOSEI_WIDTH, 48));
    rules.add(evenAtLeast(CORPUS_MOSEI_HEIGHT, 48));

    rules.add(atLeast(MEDIA_FRAME_INTERVAL_MS, 1));
    rules.add(size(MEDIA_MAX_TEXT_FILE_SIZE, 1L << 10, 1L << 30));
    rules.add(oneOf(FACE_DETECTOR, "auto", "mtcnn", "opencv", "none"));
    rules.add(atLeast(FACE_SIZE, 8));
    rules.add(atLeast(FACE_MARGIN, 0));
    rules.add(new Rule(FACE_MARGIN, c -> c.getInt(FACE_MARGIN) >= c.getInt(FACE_SIZE)
        ? Optional.of("must be smaller than " + FACE_SIZE) : Optional.empty()));
    rules.add(atLeast(MTCNN_MIN_FACE, 12));
    rules.add(listOfFractions(MTCNN_THRESHOLDS, 3));
    rules.add(new Rule(MTCNN_FACTOR, c -> inOpen(c.getDouble(MTCNN_FACTOR), 0, 1) ? Optional.empty()
        : Optional.of("must be in (0, 1), was " + c.getDouble(MTCNN_FACTOR))));
    rules.add(atLeast(AUDIO_SAMPLE_RATE, 1000));
    rules.add(atLeast(AUDIO_N_FFT, 16));
    rules.add(atLeast(AUDIO_WIN_LENGTH, 16));
    rules.add(new Rule(AUDIO_WIN_LENGTH, c -> c.getInt(AUDIO_WIN_LENGTH) > c.getInt(AUDIO_N_FFT)
        ? Optional.of("must be <= " + AUDIO_N_FFT) : Optional.empty()));
    rules.add(atLeast(AUDIO_HOP_LENGTH, 1));
    rules.add(atLeast(AUDIO_N_MELS, 1));
    rules.add(atLeast(AUDIO_CHUNK_FRAMES, 1));
    rules.add(new Rule(AUDIO_F_MIN, c -> c.getDouble(AUDIO_F_MIN) < 0 || c.getDouble(AUDIO_F_MIN) >= c.getDouble(AUDIO_F_MAX)
        ? Optional.of("must be >= 0 and < " + AUDIO_F_MAX) : Optional.empty()));
    rules.add(new Rule(AUDIO_F_MAX, c -> c.getDouble(AUDIO_F_MAX) > c.getInt(AUDIO_SAMPLE_RATE) / 2.0
        ? Optional.of("must be <= half of " + AUDIO_SAMPLE_RATE + " (" + c.getInt(AUDIO_SAMPLE_RATE) / 2.0 + ")")
        : Optional.empty()));
    rules.add(listOfPositive(VISUAL_MEAN, 3, false));
    rules.add(listOfPositive(VISUAL_STD, 3, true));

    rules.add(oneOf(SPLIT_IEMOCAP_MODE, "random", "files"));
    rules.add(fraction(SPLIT_TRAIN));
    rules.add(fraction(SPLIT_VALID));
    rules.add(fraction(SPLIT_TEST));
    rules.add(new Rule(SPLIT_TEST, c -> {
      double sum = c.getDouble(SPLIT_TRAIN) + c.getDouble(SPLIT_VALID) + c.getDouble(SPLIT_TEST);
      return Math.abs(sum - 1.0) > 1e-9
          ? Optional.of("train + valid + test fractions must sum to 1, got " + sum) : Optional.empty();
    }));
    rules.add(new Rule(SPLIT_FILES, c -> c.getString(SPLIT_IEMOCAP_MODE).equals("files") && c.getString(SPLIT_FILES).isBlank()
        ? Optional.of("must name the folder with the split files when " + SPLIT_IEMOCAP_MODE + " = files")
        : Optional.empty()));
    rules.add(new Rule(SPLIT_FILE_NAMES, c -> c.getStringList(SPLIT_FILE_NAMES).size() == 3
        && c.getStringList(SPLIT_FILE_NAMES).stream().distinct().count() == 3
        && c.getStringList(SPLIT_FILE_NAMES).stream().allMatch(SafeName::isPlain) ? Optional.empty()
        : Optional.of("must name three different files (train, valid, test), each " + SafeName.RULE)));

    rules.add(oneOf(MODEL_TYPE, "fe2e", "mesm"));
    rules.add(subsetOf(MODEL_MODALITIES, "t", "a", "v"));
    rules.add(atLeast(MODEL_DIM, 1));
    rules.add(atLeast(MODEL_HEADS, 1));
    rules.add(new Rule(MODEL_HEADS, c -> c.getInt(MODEL_DIM) % c.getInt(MODEL_HEADS) != 0
        ? Optional.of("must divide " + MODEL_DIM + " (" + c.getInt(MODEL_DIM) + ")") : Optional.empty()));
    rules.add(atLeast(MODEL_LAYERS, 1));
    rules.add(atLeast(MODEL_FEED_FORWARD, 1));
    rules.add(new Rule(MODEL_DROPOUT, c -> c.getDouble(MODEL_DROPOUT) < 0 || c.getDouble(MODEL_DROPOUT) >= 1
        ? Optional.of("must be in [0, 1), was " + c.getDouble(MODEL_DROPOUT)) : Optional.empty()));
    rules.add(new Rule(MODEL_CNN_CHANNEL_DIVISOR, c -> {
      int d = c.getInt(MODEL_CNN_CHANNEL_DIVISOR);
      return d >= 1 && 64 % d == 0 ? Optional.empty() : Optional.of("must divide 64 (1, 2, 4, …, 64), was " + d);
    }));
    rules.add(atLeast(TEXT_MAX_LENGTH_FE2E, 3));
    rules.add(atLeast(TEXT_MAX_LENGTH_MESM, 3));
    rules.add(atLeast(TEXT_VOCAB_SIZE, 16));
    rules.add(oneOf(TEXT_ENCODER, "transformer", "albert"));
    rules.add(new Rule(TEXT_PRETRAINED, c -> c.getString(TEXT_ENCODER).equals("albert") == c.getString(TEXT_PRETRAINED).isBlank()
        ? Optional.of(c.getString(TEXT_ENCODER).equals("albert")
            ? "must name the folder of a Hugging Face ALBERT checkpoint when " + TEXT_ENCODER + " = albert"
            : "is read only when " + TEXT_ENCODER + " = albert (it is " + c.getString(TEXT_ENCODER) + ")")
        : Optional.empty()));
    rules.add(new Rule(MESM_TOP_P, c -> c.getDouble(MESM_TOP_P) > 0 && c.getDouble(MESM_TOP_P) <= 1 ? Optional.empty()
        : Optional.of("must be in (0, 1], was " + c.getDouble(MESM_TOP_P))));
    rules.add(oneOf(MESM_ATTENTION_GRADIENT, "reference", "scaled"));
    rules.add(oneOf(MESM_KERNELS, "auto", "native", "java"));

    rules.add(atLeast(TRAIN_BATCH_SIZE, 1));
    rules.add(positive(TRAIN_LEARNING_RATE));
    rules.add(new Rule(TRAIN_TEXT_LR_FACTOR, c -> c.getDouble(TRAIN_TEXT_LR_FACTOR) >= 1 ? Optional.empty()
        : Optional.of("must be >= 1 (the pretrained text encoder learns this many times slower), was "
            + c.getDouble(TRAIN_TEXT_LR_FACTOR))));
    rules.add(atLeast(TRAIN_MAX_EPOCHS, 1));
    rules.add(atLeast(TRAIN_PATIENCE, 1));
    rules.add(atLeast(TRAIN_SHUFFLE_BUFFER, 1));
    rules.add(folderName(TRAIN_RUN_NAME));
    rules.add(oneOf(TRAIN_MODE, "auto", "local", "spark"));
    rules.add(atLeast(TRAIN_CHECKPOINT_EVERY, 0));
    rules.add(atLeast(TRAIN_CHECKPOINT_KEEP, 1));
    rules.add(atLeast(TRAIN_SPARK_WORKERS, 0));
    rules.add(atLeast(TRAIN_SPARK_AVERAGING_FREQUENCY, 1));
    rules.add(atLeast(TRAIN_SPARK_PREFETCH, 0));

    rules.add(fraction(EVAL_THRESHOLD_FROM));
    rules.add(fraction(EVAL_THRESHOLD_TO));
    rules.add(new Rule(EVAL_THRESHOLD_TO, c -> c.getDouble(EVAL_THRESHOLD_TO) < c.getDouble(EVAL_THRESHOLD_FROM)
        ? Optional.of("must be >= " + EVAL_THRESHOLD_FROM) : Optional.empty()));
    rules.add(new Rule(EVAL_THRESHOLD_STEP, c -> inOpen(c.getDouble(EVAL_THRESHOLD_STEP), 0, 1) ? Optional.empty()
        : Optional.of("must be in (0, 1), was " + c.getDouble(EVAL_THRESHOLD_STEP))));
    rules.add(new Rule(SWEEP_TOP_P, c -> {
      List<Double> ps = c.getDoubleList(SWEEP_TOP_P);
      if (ps.isEmpty()) return Optional.of("must name at least one value");
      if (ps.stream().anyMatch(p -> !(p > 0 && p <= 1))) return Optional.of("values must be in (0, 1], were " + ps);
      return ps.stream().distinct().count() == ps.size() ? Optional.empty() : Optional.of("values repeat: " + ps);
    }));
    rules.add(folderName(SWEEP_NAME));
    rules.add(positive(SCORE_WINDOW_S));
    rules.add(positive(SCORE_HOP_S));
    rules.add(new Rule(SCORE_MIN_WINDOW_S, c -> c.getDouble(SCORE_MIN_WINDOW_S) > c.getDouble(SCORE_WINDOW_S)
        ? Optional.of("must be <= " + SCORE_WINDOW_S) : Optional.empty()));
    rules.add(oneOf(SCORE_FORMAT, "csv", "jsonl"));
    rules.add(oneOf(SCORE_MODE, "resume", "overwrite"));
    rules.add(atLeast(SCORE_BATCH_SIZE, 1));
    rules.add(new Rule(SCORE_EXTENSIONS, c -> c.getStringList(SCORE_EXTENSIONS).isEmpty()
        ? Optional.of("must name at least one video file extension") : Optional.empty()));
    rules.add(atLeast(MAPS_COUNT, 1));
    rules.add(atLeast(MAPS_STEPS, 1));
    return rules;
  }

  /** A folder or file URI that Hadoop can open (s3a://, hdfs://, file://, a local path); empty only where optional. */
  private static Rule location(String key, boolean optional) {
    return new Rule(key, c -> {
      String v = c.getString(key);
      if (v.isBlank()) return optional ? Optional.empty() : Optional.of("must name a folder (a local path or a URI such as "
          + "s3a://bucket/prefix), was empty");
      try {
        new org.apache.hadoop.fs.Path(v.strip()).toUri();
        return Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.of("is not a valid path or URI ('" + Secrets.redactUris(v) + "'): " + e.getMessage());
      }
    });
  }

  /** Empty (the default) or a {@link SafeName}: these names become folders. */
  private static Rule folderName(String key) {
    return new Rule(key, c -> c.getString(key).isEmpty() || SafeName.isPlain(c.getString(key)) ? Optional.empty()
        : Optional.of("must be " + SafeName.RULE + ", was '" + c.getString(key) + "'"));
  }

  private static boolean inOpen(double v, double lo, double hi) {
    return v > lo && v < hi;
  }

  private static Rule oneOf(String key, String... allowed) {
    Set<String> set = Set.of(allowed);
    return new Rule(key, c -> set.contains(c.getString(key)) ? Optional.empty()
        : Optional.of("must be one of " + String.join(" | ", allowed) + ", was \"" + c.getString(key) + "\""));
  }

  private static Rule subsetOf(String key, String... allowed) {
    Set<String> set = Set.of(allowed);
    return new Rule(key, c -> {
      List<String> values = c.getStringList(key);
      if (values.isEmpty()) return Optional.of("must not be empty (choose from " + String.join(", ", allowed) + ")");
      Set<String> seen = new HashSet<>();
      for (String v : values) {
        if (!set.contains(v)) return Optional.of("unknown value \"" + v + "\" (choose from " + String.join(", ", allowed) + ")");
        if (!seen.add(v)) return Optional.of("\"" + v + "\" is listed twice");
      }
      return Optional.empty();
    });
  }

  private static Rule atLeast(String key, long min) {
    return new Rule(key, c -> c.getLong(key) >= min ? Optional.empty()
        : Optional.of("must be >= " + min + ", was " + c.getLong(key)));
  }

  private static Rule evenAtLeast(String key, long min) {
    return new Rule(key, c -> {
      long v = c.getLong(key);
      if (v < min) return Optional.of("must be >= " + min + ", was " + v);
      return v % 2 == 0 ? Optional.empty() : Optional.of("must be even (video encoders need even sizes), was " + v);
    });
  }

  /** A HOCON size ("64M", "512K", or bytes) within [min, max] bytes. */
  private static Rule size(String key, long min, long max) {
    return new Rule(key, c -> {
      long v;
      try {
        v = c.getBytes(key);
      } catch (com.typesafe.config.ConfigException e) {
        return Optional.of("must be a size such as 64M or 512K, was '" + c.getValue(key).unwrapped() + "'");
      }
      return v >= min && v <= max ? Optional.empty()
          : Optional.of("must be between " + min + " and " + max + " bytes (1K .. 1G), was " + v);
    });
  }

  private static Rule positive(String key) {
    return new Rule(key, c -> c.getDouble(key) > 0 ? Optional.empty()
        : Optional.of("must be > 0, was " + c.getDouble(key)));
  }

  private static Rule fraction(String key) {
    return new Rule(key, c -> {
      double v = c.getDouble(key);
      return v >= 0 && v <= 1 ? Optional.empty() : Optional.of("must be in [0, 1], was " + v);
    });
  }

  private static Rule listOfFractions(String key, int size) {
    return new Rule(key, c -> {
      List<Double> values = c.getDoubleList(key);
      if (values.size() != size) return Optional.of("must have " + size + " values, has " + values.size());
      return values.stream().allMatch(v -> v >= 0 && v <= 1) ? Optional.empty()
          : Optional.of("every value must be in [0, 1], was " + values);
    });
  }

  private static Rule listOfPositive(String key, int size, boolean strictly) {
    return new Rule(key, c -> {
      List<Double> values = c.getDoubleList(key);
      if (values.size() != size) return Optional.of("must have " + size + " values, has " + values.size());
      return values.stream().allMatch(v -> strictly ? v > 0 : v >= 0) ? Optional.empty()
          : Optional.of("every value must be " + (strictly ? "> 0" : ">= 0") + ", was " + values);
    });
  }
}
