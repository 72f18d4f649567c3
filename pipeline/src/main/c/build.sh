#!/bin/sh
# Builds the native kernels into the jar's classes, called by Maven (pipeline/pom.xml) as:
# build.sh <output folder> <JDK home>. libmesm_sparse.so: MESM's submanifold convolution
# (mesm_sparse.c); libmesm_mtcnn.so: the MTCNN face detector's layers (mesm_mtcnn.c);
# libmesm_dense.so: the CNNs' kernels (mesm_dense.c: narrow convolutions, BatchNorm + ReLU, the frozen graph's CNN). Without a
# C compiler, or off x86-64 Linux, it only says so: the Java/ND4J paths then run (docs/stack.md).
out="$1"
jdk="$2"
dir="$(dirname "$0")"
cc="${CC:-cc}"
skip() {
  echo "[mesm] native kernels not built: $1. MESM's sparse convolutions, MTCNN and the CNNs' training layers will run on the slower Java/ND4J paths."
  exit 0
}
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) skip "they are built for x86-64 Linux only, this is $(uname -s)/$(uname -m)" ;;
esac
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ('$cc'; install gcc, or set CC)"
[ -f "$jdk/include/jni.h" ] || skip "no $jdk/include/jni.h (a JDK, not a JRE, is needed)"
mkdir -p "$out"
for name in sparse mtcnn dense; do
  if "$cc" -O3 -std=gnu11 -fPIC -shared -Wall -Wextra -Wno-psabi -I"$jdk/include" -I"$jdk/include/linux" -I"$dir" \
      -o "$out/libmesm_$name.so" "$dir/mesm_$name.c"; then
    echo "[mesm] native kernel built: $out/libmesm_$name.so"
  else
    rm -f "$out/libmesm_$name.so"
    echo "[mesm] native kernel libmesm_$name.so not built: '$cc' failed on $dir/mesm_$name.c (see above); its Java/ND4J path will run."
  fi
done
