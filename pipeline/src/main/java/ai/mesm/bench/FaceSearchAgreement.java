package ai.mesm.bench;

import ai.mesm.ingest.IngestSchema;
import ai.mesm.media.face.FaceBox;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How closely two ingests of the same release agree on the faces (docs/computation.md#face-crops):
 * per sampled frame of every utterance in both, whether both found a face or both did not, and
 * where both did, whether the boxes overlap with IoU ≥ 0.9. make bench compares the tracked
 * search (media.face.search = track) with the exact one this way.
 */
public record FaceSearchAgreement(long samples, long sameFound, long bothFound, long closeBoxes) {

  /** The fraction of samples with a face found in both or in neither. */
  public double sameFoundFraction() {
    return samples == 0 ? 1 : sameFound / (double) samples;
  }

  /** Among samples with a face in both, the fraction with IoU ≥ 0.9. */
  public double closeBoxFraction() {
    return bothFound == 0 ? 1 : closeBoxes / (double) bothFound;
  }

  /** Compares the utterances present in both ingest outputs (their folders), sample by sample. */
  public static FaceSearchAgreement of(SparkSession spark, String ingestA, String ingestB) {
    Dataset<Row> a = spark.read().parquet(utterances(ingestA)).selectExpr("utterance_id", "face_found as found_a",
        "face_boxes as boxes_a");
    Dataset<Row> b = spark.read().parquet(utterances(ingestB)).selectExpr("utterance_id", "face_found as found_b",
        "face_boxes as boxes_b");
    long samples = 0;
    long same = 0;
    long both = 0;
    long close = 0;
    for (Row r : a.join(b, "utterance_id").collectAsList()) {
      List<Boolean> fa = r.getList(1);
      List<Boolean> fb = r.getList(3);
      List<Float> ba = r.getList(2);
      List<Float> bb = r.getList(4);
      for (int k = 0; k < Math.min(fa.size(), fb.size()); k++) {
        samples++;
        if (fa.get(k) != fb.get(k)) continue;
        same++;
        if (!fa.get(k)) continue;
        both++;
        if (box(ba, 4 * k).iou(box(bb, 4 * k)) >= 0.9) close++;
      }
    }
    return new FaceSearchAgreement(samples, same, both, close);
  }

  private static String utterances(String ingest) {
    return new org.apache.hadoop.fs.Path(ingest, IngestSchema.UTTERANCES).toString();
  }

  private static FaceBox box(List<Float> boxes, int at) {
    return new FaceBox(boxes.get(at), boxes.get(at + 1), boxes.get(at + 2), boxes.get(at + 3), Float.NaN);
  }
}
