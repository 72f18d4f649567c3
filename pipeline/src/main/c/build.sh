#!/bin/sh
# Builds the native sparse kernel (mesm_sparse.c) into the jar's classes, called by Maven
# (pipeline/pom.xml) as: build.sh <output folder> <JDK home>. Without a C compiler, or off
# x86-64 Linux, it only says so: the Java kernels then run (README, "Build notes").
out="$1"
jdk="$2"
src="$(dirname "$0")/mesm_sparse.c"
cc="${CC:-cc}"
skip() {
  echo "[mesm] native sparse kernel not built: $1. MESM's sparse convolutions will run on the slower Java kernels."
  exit 0
}
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) skip "it is built for x86-64 Linux only, this is $(uname -s)/$(uname -m)" ;;
esac
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ('$cc'; install gcc, or set CC)"
[ -f "$jdk/include/jni.h" ] || skip "no $jdk/include/jni.h (a JDK, not a JRE, is needed)"
mkdir -p "$out"
if "$cc" -O3 -std=gnu11 -fPIC -shared -Wall -Wextra -I"$jdk/include" -I"$jdk/include/linux" \
    -o "$out/libmesm_sparse.so" "$src"; then
  echo "[mesm] native sparse kernel built: $out/libmesm_sparse.so"
else
  rm -f "$out/libmesm_sparse.so"
  skip "'$cc' failed on $src (see above)"
fi
