package ai.mesm.stage;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import java.util.List;
import java.util.Optional;

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

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.atLeast(TEXT_VOCAB_SIZE, 16),
        Rules.oneOf(TEXT_ENCODER, "transformer", "albert"),
        new Rule(TEXT_PRETRAINED, c -> c.getString(TEXT_ENCODER).equals("albert") == c.getString(TEXT_PRETRAINED).isBlank()
            ? Optional.of(c.getString(TEXT_ENCODER).equals("albert")
                ? "must name the folder of a Hugging Face ALBERT checkpoint when " + TEXT_ENCODER + " = albert"
                : "is read only when " + TEXT_ENCODER + " = albert (it is " + c.getString(TEXT_ENCODER) + ")")
            : Optional.empty()),
        new Rule(TRAIN_TEXT_LR_FACTOR, c -> c.getDouble(TRAIN_TEXT_LR_FACTOR) >= 1 ? Optional.empty()
            : Optional.of("must be >= 1 (the pretrained text encoder learns this many times slower), was "
                + c.getDouble(TRAIN_TEXT_LR_FACTOR))));
  }

  public static TextEncoderSettings of(MesmConfig config) {
    return new TextEncoderSettings(config.getString(TEXT_ENCODER), config.getString(TEXT_PRETRAINED),
        config.getInt(TEXT_VOCAB_SIZE), config.getDouble(TRAIN_TEXT_LR_FACTOR));
  }

  /** encoder = albert: the pretrained ALBERT of {@link #pretrained}. */
  public boolean albert() {
    return encoder.equals("albert");
  }
}
