#!/usr/bin/env bash
# make docker-test: the CPU image (already built by make from a debootstrapped base) run in job
# mode, then the compose cluster running the demo's data path, checked and torn down. Needs root,
# podman and podman-compose (.ci/run installs them). Fails on the first broken promise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
image="${IMAGE:-localhost/mesm:latest}"
work="$(mktemp -d /tmp/mesm-docker-test.XXXXXX)"
fail() { echo "docker-test: FAILED: $*" >&2; exit 1; }
ok() { echo "docker-test: ok: $*"; }
teardown() { make -s docker-down IMAGE="$image" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap teardown EXIT
started=$SECONDS

# 1. The GPU image is the CPU image on another base: the same instructions after the base.
diff <(sed '1,/^ARG BASE=/d' docker/Dockerfile) <(sed '1,/^ARG BASE=/d' docker/Dockerfile.gpu) \
  || fail "docker/Dockerfile and docker/Dockerfile.gpu differ after their ARG BASE line"
ok "Dockerfile.gpu = Dockerfile on another base"

# 2. The image: a non-root user, no credentials, no build tools.
[ "$(podman image inspect --format '{{.Config.User}}' "$image")" = "10001:10001" ] || fail "the image's user is not 10001"
[ "$(podman run --rm --entrypoint id "$image" -u)" = 10001 ] || fail "the container does not run as uid 10001"
env_names=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | cut -d= -f1)
if grep -E -i 'key|secret|token|passw|credential' <<< "$env_names"; then fail "credential-like variables in the image"; fi
found=$(podman run --rm --entrypoint bash "$image" -c \
  'find / -xdev \( -name .aws -o -name .s3cfg -o -name .netrc -o -name .git-credentials -o -name .docker -o -name "*.p12" \) 2>/dev/null;
   grep -rIl "PRIVATE KEY-----" /opt /home /root /etc /data 2>/dev/null;
   grep -rInE "(secret|access)\.key\" *= *\"[^\"$]" /opt/mesm/conf;
   for t in javac gcc cc make mvn; do command -v $t; done; true')
[ -z "$found" ] || fail "the image holds credentials or build tools: $found"
ok "runs as uid 10001; no credential variables, files or keys; no build tools"

# 3. Job mode: help, then a tiny corpus generated and ingested into a mounted folder.
podman run --rm "$image" help | grep -q "GenerateCorpusJob" || fail "help does not list the jobs"
if podman run --rm "$image" job '../x' >/dev/null 2>&1; then fail "a job name with a path was accepted"; fi
mkdir -p "$work/data" && chmod 777 "$work/data"
podman run --rm -v "$work/data:/data" "$image" job GenerateCorpusJob corpus.output=/data/corpus \
  corpus.layouts=[iemocap] corpus.size=8 > "$work/generate.log" 2>&1 || { cat "$work/generate.log"; fail "job GenerateCorpusJob"; }
podman run --rm -v "$work/data:/data" "$image" job IngestJob dataset=iemocap paths.input=/data/corpus \
  paths.ingest=/data/ingest > "$work/ingest.log" 2>&1 || { cat "$work/ingest.log"; fail "job IngestJob"; }
[ -f "$work/data/ingest/_manifest.json" ] || fail "no ingest manifest in the mounted folder"
ls "$work/data/ingest/utterances" | grep -q . || fail "no utterances in the mounted folder"
[ "$(stat -c %u "$work/data/ingest/_manifest.json")" = 10001 ] || fail "outputs not written as uid 10001"
ok "job mode: help, GenerateCorpusJob and IngestJob into a mounted folder ($((SECONDS - started)) s so far)"

# Spark on Kubernetes' container contract, as far as it runs without a Kubernetes cluster: the driver
# pod's `driver` arguments (here with a local master and the jar as local:// URI, as spark-submit
# --master k8s:// passes it), and an executor pod's `executor` with its SPARK_* variables, which must
# get as far as dialling the driver URL it was given.
podman run --rm -e SPARK_DRIVER_BIND_ADDRESS=127.0.0.1 -v "$work/data:/data" "$image" driver --master 'local[2]' \
  --class ai.mesm.jobs.GenerateCorpusJob local:///opt/mesm/mesm-jobs-spark.jar corpus.output=/data/k8s-corpus \
  corpus.layouts=[iemocap] corpus.size=4 > "$work/driver.log" 2>&1 || { tail -40 "$work/driver.log"; fail "driver mode"; }
[ -d "$work/data/k8s-corpus/IEMOCAP_full_release" ] || fail "driver mode wrote no corpus"
podman run --rm -e SPARK_DRIVER_URL=spark://CoarseGrainedScheduler@127.0.0.1:1 -e SPARK_EXECUTOR_ID=1 \
  -e SPARK_EXECUTOR_CORES=1 -e SPARK_APPLICATION_ID=spark-docker-test -e SPARK_EXECUTOR_POD_IP=127.0.0.1 \
  -e SPARK_EXECUTOR_MEMORY=512m -e SPARK_JAVA_OPT_0=-Dspark.docker.test=1 "$image" executor > "$work/executor.log" 2>&1 || true
grep -q "KubernetesExecutorBackend" "$work/executor.log" && grep -q "Failed to connect to /127.0.0.1:1" "$work/executor.log" \
  || { tail -40 "$work/executor.log"; fail "executor mode did not start Spark's Kubernetes executor backend towards SPARK_DRIVER_URL"; }
ok "Kubernetes contract: driver mode ran a job; executor mode started the backend and dialled the driver URL"

# 4. The compose cluster: S3, master, two workers, submit; the demo's data path on it. It publishes
# its UI and S3 ports on 127.0.0.1, where a shared machine may already listen on 8080 or 9000.
free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
MESM_SPARK_UI_PORT="${MESM_SPARK_UI_PORT:-$(free_port 8080)}"; MESM_S3_PORT="${MESM_S3_PORT:-$(free_port 9000)}"
export MESM_SPARK_UI_PORT MESM_S3_PORT
make -s docker-up IMAGE="$image"
secret=$(sed -n 's/^MESM_S3_SECRET_KEY=//p' docker/target/s3.env)
[ -n "$secret" ] || fail "no S3 secret in docker/target/s3.env"
SIZE=48 EPOCHS=2 docker/demo.sh > "$work/demo.log" 2>&1 || { tail -80 "$work/demo.log"; fail "the demo's data path on the compose cluster"; }
grep -E '^== |^   \(' "$work/demo.log"
s3=/data/mesm/demo
for f in corpus/IEMOCAP_full_release ingest/iemocap/_manifest.json split/iemocap/_manifest.json \
  models/iemocap/fe2e-av/_manifest.json reports/iemocap/fe2e-av/results.json reports/iemocap/evaluation \
  scores/iemocap/fe2e-av/scores; do
  podman exec mesm-s3 test -e "$s3/$f" || fail "s3a://mesm/demo/$f is missing"
done
scored=$(sed -n 's/^segments: [0-9]* = \([0-9]*\) scored.*/\1/p' "$work/demo.log")
[ "${scored:-0}" -gt 0 ] || fail "ScoreJob scored no segment: $(grep -A3 '^segments:' "$work/demo.log")"
ok "outputs on S3: ingest, split, model, reports, evaluation, $scored scored segments"

# Both workers' executors ran tasks of the training application (the one with averaging rounds).
app=$(podman exec mesm-submit bash -c 'grep -l ParameterAveragingTrainingMaster /data/events/* | head -1' | xargs -r basename)
app="${app%.inprogress}"
[ -n "$app" ] || fail "no event log of the training application"
for w in 1 2; do
  podman exec "mesm-worker-$w" bash -c "grep -q 'Finished task' /tmp/spark-work/$app/*/stderr" \
    || fail "worker-$w ran no task of the training application $app"
done
ok "both workers ran tasks of $app"

# The S3 secret is in no object, event log, executor log or container log, nor in what the jobs printed.
for c in mesm-s3 mesm-submit mesm-worker-1 mesm-worker-2; do
  if podman exec "$c" bash -c "grep -rlF -- '$secret' /data/mesm /data/events /tmp/spark-work 2>/dev/null"; then
    fail "the S3 secret is written in $c"
  fi
done
for c in mesm-s3 mesm-master mesm-submit mesm-worker-1 mesm-worker-2; do
  if podman logs "$c" 2>&1 | grep -qF -- "$secret"; then fail "the S3 secret is in the log of $c"; fi
done
if grep -qF -- "$secret" "$work/demo.log"; then fail "the S3 secret is in the jobs' output"; fi
ok "the S3 secret appears in no object, log or output"

# 5. Torn down: nothing of the cluster is left.
make -s docker-down IMAGE="$image" > /dev/null 2>&1
left="$(podman ps -a --format '{{.Names}}' | grep '^mesm-' || true)$(podman volume ls --format '{{.Name}}' | grep '^mesm_' || true)$(podman network ls --format '{{.Name}}' | grep '^mesm_' || true)"
[ -z "$left" ] || fail "left after docker-down: $left"
ok "docker-down removed every container, volume and network"
echo "docker-test: passed in $((SECONDS - started)) s"
