package ai.mesm.ingest;

import static org.apache.spark.sql.types.DataTypes.*;

import ai.mesm.data.MelBytes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schemas of the ingest output (docs/data-format.md). Each column carries its
 * description in the field metadata ("comment"), and the first column carries the run's
 * provenance, so both travel inside every Parquet footer.
 */
public final class IngestSchema {
  public static final String UTTERANCES = "utterances";
  public static final String REJECTS = "rejects";
  public static final String PROVENANCE_KEY = "mesm.provenance";

  private IngestSchema() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable,
                                   String comment) {
    return new StructField(name, type, nullable, new MetadataBuilder().putString("comment", comment).build());
  }

  public static StructType utterances(String provenanceJson) {
    Metadata idMeta = new MetadataBuilder().putString("comment", "utterance id (IEMOCAP Ses01F_impro01_F000, MOSEI "
        + "<video_id>_<clip>)").putString(PROVENANCE_KEY, provenanceJson).build();
    return new StructType(new StructField[] {
        new StructField("utterance_id", StringType, false, idMeta),
        field("dataset", StringType, false, "iemocap | mosei"),
        field("source_id", StringType, false, "dialog (IEMOCAP) or video id (MOSEI)"),
        field("video_path", StringType, false, "URI of the video the frames come from"),
        field("audio_path", StringType, false, "URI of the file the audio comes from (wav, or the video)"),
        field("speaker", StringType, true, "IEMOCAP speaker letter F|M; null for MOSEI"),
        field("side", StringType, true, "IEMOCAP: left|right half and channel of the speaker; null for MOSEI"),
        field("start_s", DoubleType, false, "window start, seconds of media time"),
        field("end_s", DoubleType, false, "window end, seconds of media time"),
        field("text", StringType, false, "transcript text"),
        field("labels", createArrayType(IntegerType, false), false,
            "multi-hot over the dataset's classes in class order (docs/data-format.md)"),
        field("label_names", createArrayType(StringType, false), false, "names of the positive classes"),
        field("n_frames", IntegerType, false, "face crops stored (0 = visual modality missing)"),
        field("frame_times_s", createArrayType(DoubleType, false), false,
            "presentation time of each sampled frame, seconds"),
        field("face_found", createArrayType(BooleanType, false), false,
            "per frame: true if the detector found a face, false if the crop is the centred fallback"),
        field("face_boxes", createArrayType(FloatType, false), false,
            "per frame x1,y1,x2,y2 of the face in source-frame pixels (NaN when not found), flattened"),
        field("frames", BinaryType, false, "n_frames crops, uint8 RGB, size x size x 3 (HWC), concatenated"),
        field("n_chunks", IntegerType, false, "mel chunks stored"),
        field("mel_frames", IntegerType, false, "spectrogram frames before padding the last chunk"),
        field("mel", BinaryType, false,
            "power mel spectrogram, float32 little-endian, n_chunks x n_mels x chunk_frames (chunk, mel bin, frame)"),
        field("face_detector", StringType, false, "opencv | mtcnn | none"),
    });
  }

  public static StructType rejects(String provenanceJson) {
    Metadata datasetMeta = new MetadataBuilder().putString("comment", "iemocap | mosei")
        .putString(PROVENANCE_KEY, provenanceJson).build();
    return new StructType(new StructField[] {
        new StructField("dataset", StringType, false, datasetMeta),
        field("stage", StringType, false, "source | line | utterance"),
        field("reason", StringType, false, "stable reason code (docs/data-format.md)"),
        field("source_path", StringType, false, "the file the item came from"),
        field("item_id", StringType, false, "utterance, dialog or video id, or \"line N\""),
        field("line_number", IntegerType, false, "1-based line in source_path, 0 when not a line"),
        field("detail", StringType, false, "what exactly was wrong"),
    });
  }

  public static Row toRow(UtteranceRecord r) {
    return RowFactory.create(r.utteranceId(), r.dataset(), r.sourceId(), r.videoPath(), r.audioPath(), r.speaker(),
        r.side(), r.startS(), r.endS(), r.text(), r.labels().toArray(new Integer[0]),
        r.labelNames().toArray(new String[0]), r.nFrames(), r.frameTimes(), r.faceFound(), r.faceBoxes(), r.frames(),
        r.nChunks(), r.melFrames(), MelBytes.encode(r.mel()), r.faceDetector());
  }

  public static Row toRow(Reject r) {
    return RowFactory.create(r.dataset(), r.stage(), r.reason(), r.sourcePath(), r.itemId(), r.lineNumber(), r.detail());
  }
}
