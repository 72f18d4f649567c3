package ai.mesm.model.text;

import java.io.Serializable;
import java.util.Map;

/**
 * Turns a transcript into the ids a text encoder reads: "[CLS] pieces… [SEP]", cut so that [SEP]
 * always ends the sequence, padded with the pad id (0) to a fixed length. Serializable because
 * Spark executors build training batches with it (the object, never a file's bytes, is serialised).
 */
public interface TextTokenizer extends Serializable {
  /** Name of the file that says which tokenizer a model folder holds (its "type" field). */
  String DESCRIPTOR = "tokenizer.json";

  int vocabSize();

  /** @param maxLength ids per sequence, [CLS] and [SEP] included (at least 2) */
  Encoding encode(String text, int maxLength);

  /** The files that store this tokenizer beside a model, by name; {@value #DESCRIPTOR} is one of them. */
  Map<String, byte[]> files();
}
