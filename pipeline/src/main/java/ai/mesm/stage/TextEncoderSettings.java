package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;

/**
 * The text encoder TrainJob starts from (model.text.encoder, .pretrained, .vocab-size) and how fast
 * a pretrained one learns (train.text-lr-factor). The rest of the text model is the spec's
 * ({@link ai.mesm.model.ModelSettings}).
 *
 * @param encoder transformer (trained from scratch with a learned WordPiece vocabulary) or albert
 * @param pretrained the Hugging Face ALBERT folder, any Hadoop URI; blank when none is named
 * @param vocabSize WordPiece pieces learned from the train transcripts for the transformer encoder
 * @param lrFactor ALBERT and the text head learn at learning-rate / this
 */
public record TextEncoderSettings(String encoder, String pretrained, int vocabSize, double lrFactor) {

  public static TextEncoderSettings of(MesmConfig config) {
    return new TextEncoderSettings(config.getString(TEXT_ENCODER), config.getString(TEXT_PRETRAINED),
        config.getInt(TEXT_VOCAB_SIZE), config.getDouble(TRAIN_TEXT_LR_FACTOR));
  }

  /** encoder = albert: the pretrained ALBERT of {@link #pretrained}. */
  public boolean albert() {
    return encoder.equals("albert");
  }
}
