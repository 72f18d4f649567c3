#!/usr/bin/env bash
# The one entrypoint of the product's images (docker/Dockerfile, docker/Dockerfile.gpu).
#
#   master                 a Spark standalone master (port 7077, UI 8080)
#   worker [MASTER_URL]    a standalone worker (default MESM_SPARK_MASTER or spark://master:7077)
#   submit JOB [ARGS...]   spark-submit a product job to MESM_SPARK_MASTER in client mode, with the
#                          files of MESM_SUBMIT_CONFIG (comma-separated) applied after ARGS' --config files
#   job JOB [ARGS...]      run a job in this container on local Spark (as bin/mesm does from a checkout)
#   spark-submit ARGS...   Spark's own spark-submit (e.g. --master k8s://... --deploy-mode cluster)
#   s3proxy                an S3 endpoint on port 9000 (the jar mounted at MESM_S3PROXY_JAR), data in /data
#   driver ARGS... / executor   the container contract of Spark on Kubernetes (spark-submit --master k8s://)
#   idle                   wait (a service to exec submits in)
#   help                   this text and the jobs
#
# Settings come from the environment, never from the image: MESM_SPARK_MASTER, MESM_WORKER_CORES (1),
# MESM_WORKER_MEMORY (3g), MESM_WORKER_GPUS (0), MESM_DRIVER_MEMORY (3g), MESM_HEAP (job mode, 6g),
# MESM_JAVA_OPTS, MESM_SUBMIT_CONFIG, MESM_S3_ACCESS_KEY / MESM_S3_SECRET_KEY (s3proxy mode) and the
# AWS_* variables the S3A settings of conf/cluster-*.conf read.
set -euo pipefail
home=/opt/mesm
jar="$home/mesm-jobs-spark.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
read -r -a opens < "$home/jvm.options"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184}"
cache="${MESM_JAVACPP_CACHE:-/tmp/mesm-javacpp}"
# shellcheck disable=SC2206
extra=(${MESM_JAVA_OPTS:-})
jvm=("${opens[@]}" -Djava.awt.headless=true "-Dorg.bytedeco.javacpp.cachedir=$cache"
  "-Dlog4j2.configurationFile=$home/conf/log4j2.properties" "${extra[@]}")

die() { echo "entrypoint: $*" >&2; exit 2; }
# conf/cluster-compose.conf names the driver's host by it.
export HOSTNAME="${HOSTNAME:-$(hostname)}"

# A job name becomes a class name: only the product's own job classes.
job_class() {
  [[ "${1:-}" =~ ^[A-Z][A-Za-z0-9]*Job$ ]] || die "not a job name: '${1:-}' (run 'help' for the list)"
  echo "ai.mesm.jobs.$1"
}

jobs() { unzip -Z1 "$jar" 'ai/mesm/jobs/*Job.class' 2>/dev/null | sed 's|ai/mesm/jobs/||; s|\.class$||' | sort | tr '\n' ' '; }

usage() {
  sed -n '2,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p'
  echo "jobs: $(jobs)"
}

mode="${1:-help}"
[ $# -gt 0 ] && shift
case "$mode" in
  master)
    exec "$java" -Xmx512m "${opens[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
      --host "$(hostname)" --port 7077 --webui-port 8080 ;;
  worker)
    gpus=()
    if [ "${MESM_WORKER_GPUS:-0}" != 0 ]; then
      gpus=("-Dspark.worker.resource.gpu.amount=$MESM_WORKER_GPUS"
        "-Dspark.worker.resource.gpu.discoveryScript=$home/conf/gpu-discovery.sh")
    fi
    mkdir -p /tmp/spark-work
    exec "$java" -Xmx512m "${opens[@]}" "${gpus[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      --host "$(hostname)" --cores "${MESM_WORKER_CORES:-1}" --memory "${MESM_WORKER_MEMORY:-3g}" \
      --work-dir /tmp/spark-work --webui-port 8081 "${1:-${MESM_SPARK_MASTER:-spark://master:7077}}" ;;
  submit)
    class="$(job_class "${1:-}")"; shift
    case "${MESM_EVENT_LOG_DIR:-}" in file://*) mkdir -p "${MESM_EVENT_LOG_DIR#file://}" ;; esac
    configs=()
    IFS=',' read -r -a files <<< "${MESM_SUBMIT_CONFIG:-}"
    for f in "${files[@]}"; do [ -z "$f" ] || configs+=(--config "$f"); done
    exec "$SPARK_HOME/bin/spark-submit" --master "${MESM_SPARK_MASTER:-spark://master:7077}" --deploy-mode client \
      --class "$class" --driver-memory "${MESM_DRIVER_MEMORY:-3g}" --driver-java-options "${jvm[*]}" \
      --conf "spark.driver.host=$(hostname)" "$jar" "$@" "${configs[@]}" ;;
  job)
    class="$(job_class "${1:-}")"; shift
    exec "$java" -Xmx"${MESM_HEAP:-6g}" "${jvm[@]}" -cp "$SPARK_HOME/jars/*:$jar" "$class" "$@" ;;
  s3proxy)
    : "${MESM_S3_SECRET_KEY:?s3proxy mode needs MESM_S3_SECRET_KEY (and MESM_S3_ACCESS_KEY)}"
    props="$(mktemp)"
    chmod 600 "$props"
    cat > "$props" <<EOT
s3proxy.endpoint=http://0.0.0.0:9000
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${MESM_S3_ACCESS_KEY:-mesm}
s3proxy.credential=$MESM_S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=/data
EOT
    mkdir -p "/data/${MESM_S3_BUCKET:-mesm}"
    exec "$java" -Xmx512m -jar "${MESM_S3PROXY_JAR:-/opt/s3proxy/s3proxy.jar}" --properties "$props" ;;
  spark-submit)
    exec "$SPARK_HOME/bin/spark-submit" "$@" ;;
  driver)
    # Spark on Kubernetes starts the driver pod with `driver` and spark-submit's arguments; the
    # driver runs in spark-submit's JVM, which takes the product's JVM flags from SPARK_SUBMIT_OPTS.
    export SPARK_SUBMIT_OPTS="${jvm[*]} ${SPARK_SUBMIT_OPTS:-}"
    exec "$SPARK_HOME/bin/spark-submit" --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS:?}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS" --deploy-mode client "$@" ;;
  executor)
    # ... and each executor pod with `executor` and its settings in SPARK_* variables; the
    # executor's JVM options arrive numbered as SPARK_JAVA_OPT_0, SPARK_JAVA_OPT_1, ...
    executor_opts=()
    while IFS= read -r name; do executor_opts+=("${!name}"); done \
      < <(compgen -e | grep '^SPARK_JAVA_OPT_[0-9]*$' | sort -t_ -k4 -n)
    exec "$java" "${opens[@]}" "${executor_opts[@]}" -Xms"${SPARK_EXECUTOR_MEMORY:?}" -Xmx"$SPARK_EXECUTOR_MEMORY" \
      -cp "$SPARK_HOME/jars/*:$jar${SPARK_CLASSPATH:+:$SPARK_CLASSPATH}" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "${SPARK_DRIVER_URL:?}" --executor-id "${SPARK_EXECUTOR_ID:?}" --cores "${SPARK_EXECUTOR_CORES:?}" \
      --app-id "${SPARK_APPLICATION_ID:?}" --hostname "${SPARK_EXECUTOR_POD_IP:?}" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" --podName "${SPARK_EXECUTOR_POD_NAME:-$(hostname)}" ;;
  # As PID 1, sleep would ignore SIGTERM and make every `down` wait for its kill timeout.
  idle) trap 'exit 0' TERM INT; sleep infinity & wait ;;
  help|-h|--help) usage ;;
  *) usage >&2; die "unknown mode '$mode'" ;;
esac
