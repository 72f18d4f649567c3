package ai.mesm.split;

import static ai.mesm.config.ConfigKeys.*;

import ai.mesm.config.MesmConfig;
import ai.mesm.data.DatasetKind;
import java.util.List;

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
