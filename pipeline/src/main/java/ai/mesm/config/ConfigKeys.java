package ai.mesm.config;

import java.util.List;
import java.util.Map;

/** Every configuration key the code reads, in one place (defaults live in reference.conf). */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String ROOT = "mesm";

  public static final String DATASET = "mesm.dataset";
  public static final String SEED = "mesm.seed";

  public static final String PATHS_INPUT = "mesm.paths.input";
  public static final String PATHS_INGEST = "mesm.paths.ingest";
  public static final String PATHS_SPLIT = "mesm.paths.split";
  public static final String PATHS_MODELS = "mesm.paths.models";
  public static final String PATHS_REPORTS = "mesm.paths.reports";
  public static final String PATHS_SCORES = "mesm.paths.scores";
  public static final String PATHS_CHECKPOINTS = "mesm.paths.checkpoints";

  public static final String SPARK_MASTER = "mesm.spark.master";
  public static final String SPARK_APP_NAME = "mesm.spark.app-name";
  public static final String SPARK_CONF = "mesm.spark.conf";

  public static final String CORPUS_OUTPUT = "mesm.corpus.output";
  public static final String CORPUS_LAYOUTS = "mesm.corpus.layouts";
  public static final String CORPUS_SIZE = "mesm.corpus.size";
  public static final String CORPUS_NOISE = "mesm.corpus.noise";
  public static final String CORPUS_FACE_PHOTO = "mesm.corpus.face-photo";
  public static final String CORPUS_THREADS = "mesm.corpus.threads";
  public static final String CORPUS_MIN_UTTERANCE_S = "mesm.corpus.min-utterance-s";
  public static final String CORPUS_MAX_UTTERANCE_S = "mesm.corpus.max-utterance-s";
  public static final String CORPUS_FRAME_RATE = "mesm.corpus.frame-rate";
  public static final String CORPUS_IEMOCAP_UTTERANCES_PER_DIALOG = "mesm.corpus.iemocap.utterances-per-dialog";
  public static final String CORPUS_IEMOCAP_OUT_OF_CLASS = "mesm.corpus.iemocap.out-of-class-fraction";
  public static final String CORPUS_IEMOCAP_WIDTH = "mesm.corpus.iemocap.frame-width";
  public static final String CORPUS_IEMOCAP_HEIGHT = "mesm.corpus.iemocap.frame-height";
  public static final String CORPUS_MOSEI_CLIPS_PER_VIDEO = "mesm.corpus.mosei.clips-per-video";
  public static final String CORPUS_MOSEI_ANNOTATORS = "mesm.corpus.mosei.annotators";
  public static final String CORPUS_MOSEI_MISSING_WAV = "mesm.corpus.mosei.missing-wav-fraction";
  public static final String CORPUS_MOSEI_DEFECTS = "mesm.corpus.mosei.defects";
  public static final String CORPUS_MOSEI_WIDTH = "mesm.corpus.mosei.frame-width";
  public static final String CORPUS_MOSEI_HEIGHT = "mesm.corpus.mosei.frame-height";

  public static final String MEDIA_FRAME_INTERVAL_MS = "mesm.media.frame-interval-ms";
  public static final String MEDIA_MAX_TEXT_FILE_SIZE = "mesm.media.max-text-file-size";
  public static final String MEDIA_DECODE_THREADS = "mesm.media.decode-threads";
  public static final String FACE_DETECTOR = "mesm.media.face.detector";
  public static final String FACE_SIZE = "mesm.media.face.size";
  public static final String FACE_MARGIN = "mesm.media.face.margin";
  public static final String FACE_SEARCH = "mesm.media.face.search";
  public static final String FACE_FULL_SEARCH_EVERY = "mesm.media.face.full-search-every";
  public static final String MTCNN_WEIGHTS = "mesm.media.face.mtcnn.weights";
  public static final String MTCNN_MIN_FACE = "mesm.media.face.mtcnn.min-face-size";
  public static final String MTCNN_THRESHOLDS = "mesm.media.face.mtcnn.thresholds";
  public static final String MTCNN_FACTOR = "mesm.media.face.mtcnn.factor";
  public static final String MTCNN_KERNELS = "mesm.media.face.mtcnn.kernels";
  public static final String AUDIO_SAMPLE_RATE = "mesm.media.audio.sample-rate";
  public static final String AUDIO_N_FFT = "mesm.media.audio.n-fft";
  public static final String AUDIO_WIN_LENGTH = "mesm.media.audio.win-length";
  public static final String AUDIO_HOP_LENGTH = "mesm.media.audio.hop-length";
  public static final String AUDIO_N_MELS = "mesm.media.audio.n-mels";
  public static final String AUDIO_F_MIN = "mesm.media.audio.f-min";
  public static final String AUDIO_F_MAX = "mesm.media.audio.f-max";
  public static final String AUDIO_CHUNK_FRAMES = "mesm.media.audio.chunk-frames";
  public static final String VISUAL_MEAN = "mesm.media.visual-normalisation.mean";
  public static final String VISUAL_STD = "mesm.media.visual-normalisation.std";

  public static final String SPLIT_IEMOCAP_MODE = "mesm.split.iemocap-mode";
  public static final String SPLIT_TRAIN = "mesm.split.train-fraction";
  public static final String SPLIT_VALID = "mesm.split.valid-fraction";
  public static final String SPLIT_TEST = "mesm.split.test-fraction";
  public static final String SPLIT_FILES = "mesm.split.files";
  public static final String SPLIT_FILE_NAMES = "mesm.split.file-names";

  public static final String MODEL_TYPE = "mesm.model.type";
  public static final String MODEL_MODALITIES = "mesm.model.modalities";
  public static final String MODEL_DIM = "mesm.model.dim";
  public static final String MODEL_HEADS = "mesm.model.heads";
  public static final String MODEL_LAYERS = "mesm.model.layers";
  public static final String MODEL_FEED_FORWARD = "mesm.model.feed-forward";
  public static final String MODEL_DROPOUT = "mesm.model.dropout";
  public static final String MODEL_POSITIONAL = "mesm.model.positional-encoding";
  public static final String MODEL_TEXT_POSITIONAL = "mesm.model.text.positional-encoding";
  public static final String MODEL_CNN_CHANNEL_DIVISOR = "mesm.model.cnn.channel-divisor";
  public static final String MODEL_CNN_KERNELS = "mesm.model.cnn.kernels";
  public static final String TEXT_MAX_LENGTH_FE2E = "mesm.model.text.max-length.fe2e";
  public static final String TEXT_MAX_LENGTH_MESM = "mesm.model.text.max-length.mesm";
  public static final String TEXT_VOCAB_SIZE = "mesm.model.text.vocab-size";
  public static final String TEXT_PRETRAINED = "mesm.model.text.pretrained";
  public static final String TEXT_ENCODER = "mesm.model.text.encoder";
  public static final String MESM_TOP_P = "mesm.model.mesm.top-p";
  public static final String MESM_ATTENTION_GRADIENT = "mesm.model.mesm.attention-gradient";
  public static final String MESM_KERNELS = "mesm.model.mesm.kernels";

  public static final String TRAIN_BATCH_SIZE = "mesm.train.batch-size";
  public static final String TRAIN_TEXT_LR_FACTOR = "mesm.train.text-lr-factor";
  public static final String TRAIN_LEARNING_RATE = "mesm.train.learning-rate";
  public static final String TRAIN_MAX_EPOCHS = "mesm.train.max-epochs";
  public static final String TRAIN_PATIENCE = "mesm.train.patience";
  public static final String TRAIN_SHUFFLE_BUFFER = "mesm.train.shuffle-buffer";
  public static final String TRAIN_CACHE_FRACTION = "mesm.train.cache-fraction";
  public static final String TRAIN_RUN_NAME = "mesm.train.run-name";
  public static final String TRAIN_MODE = "mesm.train.mode";
  public static final String TRAIN_CHECKPOINT_EVERY = "mesm.train.checkpoint-every";
  public static final String TRAIN_CHECKPOINT_KEEP = "mesm.train.checkpoint-keep";
  public static final String TRAIN_SPARK_WORKERS = "mesm.train.spark.workers";
  public static final String TRAIN_SPARK_AVERAGING_FREQUENCY = "mesm.train.spark.averaging-frequency";
  public static final String TRAIN_SPARK_PREFETCH = "mesm.train.spark.prefetch-batches";
  public static final String TRAIN_SPARK_STATS = "mesm.train.spark.collect-stats";

  public static final String EVAL_THRESHOLD_FROM = "mesm.eval.threshold-from";
  public static final String EVAL_THRESHOLD_TO = "mesm.eval.threshold-to";
  public static final String EVAL_THRESHOLD_STEP = "mesm.eval.threshold-step";
  public static final String EVAL_MODELS = "mesm.eval.models";
  public static final String SWEEP_TOP_P = "mesm.sweep.top-p";
  public static final String SWEEP_NAME = "mesm.sweep.name";
  public static final String SWEEP_FE2E_REFERENCE = "mesm.sweep.fe2e-reference";
  public static final String SWEEP_REUSE_TRAINED = "mesm.sweep.reuse-trained";
  public static final String REPRODUCE_DATASETS = "mesm.reproduce.datasets";
  public static final String REPRODUCE_TOP_P_IEMOCAP = "mesm.reproduce.top-p.iemocap";
  public static final String REPRODUCE_TOP_P_MOSEI = "mesm.reproduce.top-p.mosei";
  public static final String REPRODUCE_ABLATION_DATASETS = "mesm.reproduce.ablation.datasets";
  public static final String REPRODUCE_ABLATION_FE2E = "mesm.reproduce.ablation.fe2e";
  public static final String REPRODUCE_ABLATION_MESM = "mesm.reproduce.ablation.mesm";
  public static final String REPRODUCE_SWEEP_DATASETS = "mesm.reproduce.sweep-datasets";
  public static final String REPRODUCE_ATTENTION_GRADIENTS = "mesm.reproduce.attention-gradients";
  public static final String REPRODUCE_ATTENTION_DATASETS = "mesm.reproduce.attention-datasets";
  public static final String REPRODUCE_REPORT = "mesm.reproduce.report";
  public static final String SCORE_INPUT = "mesm.score.input";
  public static final String SCORE_MODEL = "mesm.score.model";
  public static final String SCORE_SEGMENTS = "mesm.score.segments";
  public static final String SCORE_EXTENSIONS = "mesm.score.extensions";
  public static final String SCORE_WINDOW_S = "mesm.score.window-s";
  public static final String SCORE_HOP_S = "mesm.score.hop-s";
  public static final String SCORE_MIN_WINDOW_S = "mesm.score.min-window-s";
  public static final String SCORE_FORMAT = "mesm.score.format";
  public static final String SCORE_MODE = "mesm.score.mode";
  public static final String SCORE_BATCH_SIZE = "mesm.score.batch-size";
  public static final String MAPS_MODEL = "mesm.maps.model";
  public static final String MAPS_UTTERANCES = "mesm.maps.utterances";
  public static final String MAPS_COUNT = "mesm.maps.count";
  public static final String MAPS_STEPS = "mesm.maps.steps-per-utterance";

  /** Maps whose keys are the user's (Spark settings): not checked against reference.conf. */
  public static final List<String> FREE_FORM = List.of(SPARK_CONF);

  /**
   * Keys of earlier versions, refused with why they went rather than as unknown keys (whose "did
   * you mean" would point at an unrelated neighbour).
   */
  public static final Map<String, String> REMOVED = Map.of(
      "mesm.model.mesm.blocks", "was removed: MESM has the paper's 3 blocks (delete this setting)");
}
