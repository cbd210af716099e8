#!/bin/sh
# Translates the bootloader's image check (build/boot_verifier.wasm, assembly/boot_verifier.ts)
# to C for host/boot/boot_image_check.c:
#
#   scripts/wasm2c-boot-verifier.sh <boot_verifier.wasm> <output dir>
#
# writes <output dir>/boot_verifier_translated.c and .h (wasm2c, module name "boot_verifier")
# and wasm-rt.h. The module imports from "env" as the agent does; its import functions are
# renamed Z_bootZ_<name> (and their instance type Z_boot_instance_t) so that a program holding
# both the translated agent and the verifier links each to its own glue. A build output: never
# committed.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: wasm2c-boot-verifier.sh <boot_verifier.wasm> <output dir>" >&2
  exit 2
fi
WASM=$1
OUT=$2
command -v wasm2c >/dev/null 2>&1 || { echo "wasm2c-boot-verifier: wasm2c is not installed (apt-get install wabt)" >&2; exit 1; }
[ -f "$WASM" ] || { echo "wasm2c-boot-verifier: $WASM not found (npm run build:agent builds it)" >&2; exit 1; }
mkdir -p "$OUT"
wasm2c "$WASM" -n boot_verifier -o "$OUT/boot_verifier_translated.c"
sed -i -e 's/\bZ_envZ_/Z_bootZ_/g' -e 's/\bZ_env_instance\(_t\)\?\b/Z_boot_instance\1/g' \
  "$OUT/boot_verifier_translated.c" "$OUT/boot_verifier_translated.h"
for header in /usr/include/wasm-rt.h /usr/src/wasm2c/wasm-rt.h; do
  if [ -f "$header" ]; then
    cp "$header" "$OUT/wasm-rt.h"
    break
  fi
done
[ -f "$OUT/wasm-rt.h" ] || { echo "wasm2c-boot-verifier: wabt's wasm-rt.h is not installed" >&2; exit 1; }
