#!/usr/bin/env bash
# Lays out the images' build context in docker/target/context from a built checkout (make package):
# spark/ (the Spark runtime's jars the cluster module assembles, and its launchers), mesm/ (the
# spark-submit jar, conf/, the JVM flags) and the two scripts both Dockerfiles run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ctx="$root/docker/target/context"
classpath="$root/cluster/target/spark-classpath.txt"
jar=$(ls "$root"/jobs/target/mesm-jobs-*-spark.jar 2>/dev/null | head -1 || true)
[ -f "$classpath" ] && [ -n "$jar" ] || { echo "docker/build-context.sh: not built: run 'make package' first" >&2; exit 2; }
rm -rf "$ctx"
mkdir -p "$ctx/spark/jars" "$ctx/spark/bin" "$ctx/mesm/bin" "$ctx/docker"
# A hard link where ~/.m2 shares the file system, else a copy.
place() { ln -f "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
tr ':' '\n' < "$classpath" | while read -r dep; do
  [ -z "$dep" ] || place "$dep" "$ctx/spark/jars/$(basename "$dep")"
done
cp "$root/cluster/bin/spark-class" "$root/cluster/bin/spark-submit" "$ctx/spark/bin/"
place "$jar" "$ctx/mesm/mesm-jobs-spark.jar"
cp -r "$root/conf" "$ctx/mesm/conf"
cp "$root/jobs/target/jvm.options" "$ctx/mesm/jvm.options"
cp "$root/docker/install-runtime.sh" "$root/docker/entrypoint.sh" "$ctx/docker/"
chmod -R a+rX "$ctx"
echo "image context: $ctx ($(du -sh "$ctx" | cut -f1))"
