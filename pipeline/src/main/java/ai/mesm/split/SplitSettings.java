package ai.mesm.split;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.config.Rule;
import ai.mesm.config.Rules;
import ai.mesm.config.SafeName;
import ai.mesm.data.DatasetKind;
import java.util.List;
import java.util.Optional;

/**
 * How SplitJob assigns utterances (split.*, seed): IEMOCAP at random with the paper's 70/10/20,
 * or by listed ids from three files (CMU-MOSEI always: its standard folds).
 *
 * @param iemocapFromFiles split.iemocap-mode = files
 * @param files the folder holding the three lists (split.files); blank when none is named
 * @param fileNames the train, valid and test list names inside it, in that order
 */
public record SplitSettings(boolean iemocapFromFiles, long seed, double train, double valid, double test, String files,
                            List<String> fileNames) {

  /** The range and consistency checks of the keys read here (gathered by ai.mesm.stage.SettingsRules). */
  public static List<Rule> rules() {
    return List.of(
        Rules.location(SPLIT_FILES, true),
        Rules.oneOf(SPLIT_IEMOCAP_MODE, "random", "files"),
        Rules.fraction(SPLIT_TRAIN),
        Rules.fraction(SPLIT_VALID),
        Rules.fraction(SPLIT_TEST),
        new Rule(SPLIT_TEST, c -> {
          double sum = c.getDouble(SPLIT_TRAIN) + c.getDouble(SPLIT_VALID) + c.getDouble(SPLIT_TEST);
          return Math.abs(sum - 1.0) > 1e-9
              ? Optional.of("train + valid + test fractions must sum to 1, got " + sum) : Optional.empty();
        }),
        new Rule(SPLIT_FILES, c -> c.getString(SPLIT_IEMOCAP_MODE).equals("files") && c.getString(SPLIT_FILES).isBlank()
            ? Optional.of("must name the folder with the split files when " + SPLIT_IEMOCAP_MODE + " = files")
            : Optional.empty()),
        new Rule(SPLIT_FILE_NAMES, c -> c.getStringList(SPLIT_FILE_NAMES).size() == 3
            && c.getStringList(SPLIT_FILE_NAMES).stream().distinct().count() == 3
            && c.getStringList(SPLIT_FILE_NAMES).stream().allMatch(SafeName::isPlain) ? Optional.empty()
            : Optional.of("must name three different files (train, valid, test), each " + SafeName.RULE)));
  }

  public static SplitSettings of(MesmConfig config) {
    return new SplitSettings(config.getString(SPLIT_IEMOCAP_MODE).equals("files"), config.getLong(SEED),
        config.getDouble(SPLIT_TRAIN), config.getDouble(SPLIT_VALID), config.getDouble(SPLIT_TEST),
        config.getString(SPLIT_FILES), List.copyOf(config.getStringList(SPLIT_FILE_NAMES)));
  }

  /** True when the dataset is split by id lists rather than at random. */
  public boolean byLists(DatasetKind dataset) {
    return dataset == DatasetKind.MOSEI || iemocapFromFiles;
  }

  /** "0.7/0.1/0.2": the fractions as the split manifest records them. */
  public String fractions() {
    return train + "/" + valid + "/" + test;
  }
}
