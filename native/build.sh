#!/bin/sh
# native/build.sh OUTDIR: builds init and kexec as small static binaries, reproducibly: no timestamps or
# build paths end up in them (-ffile-prefix-map, no __DATE__, no build id, stripped), so the same
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
for prog in init kexec; do
  $cc $flags -o "$out/$prog.tmp" "$here/$prog.c"
  mv "$out/$prog.tmp" "$out/$prog"
done
