#!/usr/bin/env bash
# Waits until the compose cluster's master has WORKERS (2) workers alive and the S3 endpoint answers.
set -euo pipefail
want="${WORKERS:-2}"
# bash's /dev/tcp inside the containers: the image has no curl, and the host may not reach the ports.
http_get() { # container, port, path
  podman exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2 && printf 'GET $3 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && cat <&3" 2>/dev/null || true
}
for _ in $(seq 1 120); do
  alive=$(http_get mesm-master 8080 /json/ | { grep -o '"state" *: *"ALIVE"' || true; } | wc -l)
  if [ "$alive" -ge "$want" ] && [ -n "$(http_get mesm-s3 9000 /)" ]; then
    echo "compose cluster up: master spark://master:7077 with $alive workers (UI http://127.0.0.1:${MESM_SPARK_UI_PORT:-8080}),"
    echo "S3 endpoint http://127.0.0.1:${MESM_S3_PORT:-9000} (s3a://mesm/ inside the cluster: http://s3:9000); submit with"
    echo "  podman exec mesm-submit entrypoint submit JOB [--config FILE]... [key=value]..."
    exit 0
  fi
  sleep 1
done
echo "docker/wait-cluster.sh: the cluster did not come up in 120 s; its logs:" >&2
for c in mesm-s3 mesm-master mesm-worker-1 mesm-worker-2; do echo "--- $c" >&2; podman logs --tail 30 "$c" >&2 || true; done
exit 1
