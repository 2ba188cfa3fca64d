#!/bin/sh
# native/build.sh OUTDIR [PROGRAM...]: builds init, kexec and jail (or the PROGRAMs named) as small static
# binaries, reproducibly: no timestamps or build paths end up in them (-ffile-prefix-map, no __DATE__, no build id, stripped), so the same
# compiler gives the same bytes. Uses musl-gcc; falls back to gcc -static when musl-gcc is missing.
set -eu
out=${1:?usage: native/build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cc=${CC:-}
if [ -z "$cc" ]; then
  if command -v musl-gcc >/dev/null 2>&1; then cc=musl-gcc; else cc=gcc; fi
fi
export SOURCE_DATE_EPOCH=0 LC_ALL=C
flags="-static -Os -s -Wall -Wextra -Werror -fno-asynchronous-unwind-tables -ffile-prefix-map=$here=native -Wl,--build-id=none"
# musl ships no kernel headers; jail's seccomp needs linux/*.h and asm/*.h, taken from the host's uapi
# headers after musl's own (so no libc header comes from glibc).
uapi=""
if [ "$cc" = musl-gcc ]; then
  multiarch=$(gcc -dumpmachine 2>/dev/null || true)
  uapi="-idirafter /usr/include/$multiarch -idirafter /usr/include"
fi
if [ $# -gt 1 ]; then shift; progs=$*; else progs="init kexec jail"; fi
for prog in $progs; do
  extra=""
  if [ "$prog" = jail ]; then extra=$uapi; fi
  # shellcheck disable=SC2086
  $cc $flags $extra -o "$out/$prog.tmp" "$here/$prog.c"
  mv "$out/$prog.tmp" "$out/$prog"
done
