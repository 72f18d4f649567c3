#!/usr/bin/env bash
# Waits until the compose cluster's master has WORKERS (2) workers alive and the S3 endpoint answers,
# for at most WAIT_SECONDS (300: a busy CI machine starts four JVMs at once).
set -euo pipefail
want="${WORKERS:-2}"
limit="${WAIT_SECONDS:-300}"
# bash's /dev/tcp inside the containers: the image has no curl, and the host may not reach the ports.
# The last failure of each probe is kept, so that a timeout says why, not only that.
probe_err="$(mktemp)"
trap 'rm -f "$probe_err" "$probe_err".*' EXIT
http_get() { # container, port, path
  timeout 20 podman exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2 && printf 'GET $3 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3" \
    2> "$probe_err.$1" || true
}
# A container that is not running (a port taken on this machine, an image error) will not start by waiting.
not_running() {
  for c in mesm-s3 mesm-master mesm-worker-1 mesm-worker-2; do
    [ "$(podman inspect --format '{{.State.Running}}' "$c" 2>/dev/null)" = true ] || echo "$c"
  done
}
start=$SECONDS
alive=0; s3=""; stopped=""
while [ $((SECONDS - start)) -lt "$limit" ]; do
  stopped="$(not_running | tr '\n' ' ')"
  [ -z "$stopped" ] || [ $((SECONDS - start)) -lt 10 ] || break
  alive=$(http_get mesm-master 8080 /json/ | { grep -o '"state" *: *"ALIVE"' || true; } | wc -l)
  s3="$(http_get mesm-s3 9000 / | head -c 200)"
  if [ "$alive" -ge "$want" ] && [ -n "$s3" ]; then
    echo "compose cluster up after $((SECONDS - start)) s: master spark://master:7077 with $alive workers (UI http://127.0.0.1:${MESM_SPARK_UI_PORT:-8080}),"
    echo "S3 endpoint http://127.0.0.1:${MESM_S3_PORT:-9000} (s3a://mesm/ inside the cluster: http://s3:9000); submit with"
    echo "  podman exec mesm-submit entrypoint submit JOB [--config FILE]... [key=value]..."
    exit 0
  fi
  sleep 2
done
{
  echo "docker/wait-cluster.sh: the cluster did not come up in $((SECONDS - start)) s; containers and their logs:"
  podman ps -a --format '{{.Names}} {{.Status}}' || true
  for c in $stopped; do podman inspect --format "$c: {{.State.Status}} {{.State.Error}}" "$c" 2>&1 || true; done
  for c in mesm-worker-1 mesm-worker-2 mesm-s3 mesm-master; do echo "--- $c"; podman logs --tail 30 "$c" 2>&1 || true; done
  # Last, so that a CI log's tail shows it.
  [ -z "$stopped" ] || echo "docker/wait-cluster.sh: not running: $stopped(podman start, or the logs above, say why)"
  echo "docker/wait-cluster.sh: the master's UI reported $alive ALIVE workers (want $want)$( [ -s "$probe_err.mesm-master" ] && echo "; its last probe failed: $(tail -c 300 "$probe_err.mesm-master")")"
  echo "docker/wait-cluster.sh: the S3 endpoint $( [ -n "$s3" ] && echo answered || echo "did not answer$( [ -s "$probe_err.mesm-s3" ] && echo ": $(tail -c 300 "$probe_err.mesm-s3")")")"
} >&2
exit 1
