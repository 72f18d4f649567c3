#!/usr/bin/env bash
# The demo's data path on the compose cluster (make docker-demo; docker/test.sh runs it too): a
# synthetic corpus in both layouts written to s3a://mesm/demo, IEMOCAP ingested and split by the executors, FE2E on
# audio + video trained by parameter averaging on both workers, evaluated, and the CMU-MOSEI videos
# scored in fixed windows (no text needed). SIZE (utterances per layout, 48) and EPOCHS (2) size it.
set -euo pipefail
size="${SIZE:-48}"
epochs="${EPOCHS:-2}"
run="fe2e-av"
# Every job with the demo's settings, the compose cluster's applied last (MESM_SUBMIT_CONFIG).
submit() {
  local job="$1"; shift
  echo "== $job"
  local started=$SECONDS
  podman exec mesm-submit entrypoint submit "$job" --config /opt/mesm/conf/demo.conf dataset=iemocap "$@"
  echo "   ($job: $((SECONDS - started)) s)"
}
submit GenerateCorpusJob corpus.layouts=[iemocap,mosei] corpus.size="$size"
submit IngestJob
submit SplitJob
# Small widths: the point is the data path and the averaging over two executors, not accuracy.
submit TrainJob model.modalities=[a,v] train.run-name="$run" train.max-epochs="$epochs" train.patience="$epochs" \
  model.cnn.channel-divisor=16 model.dim=32 model.layers=1 model.feed-forward=128 train.spark.averaging-frequency=2
submit EvaluateJob "eval.models=[$run]"
submit ScoreJob score.model="$run" score.input=s3a://mesm/demo/corpus/CMU_MOSEI/Videos/Full/Combined
cat <<EOT
outputs on the compose cluster's S3 endpoint (s3a://mesm/demo/, http://127.0.0.1:${MESM_S3_PORT:-9000} from this machine):
  corpus     s3a://mesm/demo/corpus
  ingest     s3a://mesm/demo/ingest/iemocap     split   s3a://mesm/demo/split/iemocap
  model      s3a://mesm/demo/models/iemocap/$run reports s3a://mesm/demo/reports/iemocap/$run
  scores     s3a://mesm/demo/scores/iemocap/$run
the same as files: podman exec mesm-s3 ls -R /data/mesm/demo
EOT
