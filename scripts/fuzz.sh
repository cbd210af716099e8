#!/bin/sh
# The fuzzing campaign (tests/fuzz/README.md): builds tests/fuzz's libFuzzer harness with
# clang's ASan and UBSan into build/fuzz/, runs it for <seconds> over build/fuzz/corpus (seeded
# from tests/fuzz/corpus), then prints executions, coverage and findings.
# usage: sh scripts/fuzz.sh [seconds]   (npm run fuzz -- <seconds>; default 60)
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT_DIR/build/fuzz"
SECONDS_TO_RUN=${1:-60}
CC=${CC:-clang-14}

fail() {
  echo "fuzz: $1" >&2
  exit 1
}

case "$SECONDS_TO_RUN" in
  '' | *[!0-9]*) echo "usage: npm run fuzz -- <seconds>" >&2; exit 2 ;;
esac
command -v "$CC" >/dev/null 2>&1 || fail "$CC not found (Debian: clang-14, libclang-rt-14-dev)"
sh "$ROOT_DIR/scripts/fetch-wasm3.sh" >/dev/null
[ -f "$ROOT_DIR/build/agent.wasm" ] || (cd "$ROOT_DIR" && npm run build:agent >/dev/null) ||
  fail "cannot build build/agent.wasm"

mkdir -p "$OUT/corpus" "$OUT/findings" "$OUT/wasm3"
# -O2: wasm3's interpreter relies on tail calls. Everything is instrumented, wasm3 included: its
# coverage is where the agent's paths show (which opcodes and imports ran, on which values).
FLAGS="-O2 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# wasm3 keeps operands at unaligned addresses by design (the CPUs it targets allow it): UBSan's
# alignment check is off for it alone.
(cd "$OUT/wasm3" && "$CC" $FLAGS -fno-sanitize=alignment -w -c "$ROOT_DIR"/third_party/wasm3/m3_*.c) \
  >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; fail "build of wasm3 failed"; }
"$CC" $FLAGS -Wall \
  -I "$ROOT_DIR/third_party/wasm3" -I "$ROOT_DIR/host/include" -I "$ROOT_DIR/host/core" \
  -I "$ROOT_DIR/host/boot" -I "$ROOT_DIR/host/linux" \
  "$OUT"/wasm3/m3_*.o \
  "$ROOT_DIR/host/core/agent_runtime.c" "$ROOT_DIR/host/core/agent_imports.c" \
  "$ROOT_DIR/host/core/agent_sha256_native.c" \
  "$ROOT_DIR/host/boot/boot_crc32.c" "$ROOT_DIR/host/boot/boot_decision.c" \
  "$ROOT_DIR/host/boot/boot_record.c" "$ROOT_DIR/host/boot/boot_sha256.c" \
  "$ROOT_DIR/host/boot/boot_status.c" "$ROOT_DIR/host/boot/boot_flash_hal.c" \
  "$ROOT_DIR/host/linux/file_flash.c" \
  "$ROOT_DIR/tests/fuzz/fuzz_agent.c" "$ROOT_DIR/tests/fuzz/fuzz_device.c" \
  "$ROOT_DIR/tests/fuzz/report_check.c" \
  -lm -o "$OUT/fuzz_agent" >>"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; fail "build failed"; }

cd "$ROOT_DIR"
rm -f "$OUT"/findings/*
# -fork=1 with -ignore_crashes: a finding is saved and the campaign goes on, so one frequent
# defect does not hide the others.
status=0
OTAU_FUZZ_AGENT="$ROOT_DIR/build/agent.wasm" "$OUT/fuzz_agent" \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
  -dict="$ROOT_DIR/tests/fuzz/agent.dict" \
  -artifact_prefix="$OUT/findings/" "$OUT/corpus" "$ROOT_DIR/tests/fuzz/corpus" \
  >"$OUT/fuzz.log" 2>&1 || status=$?

# Fork mode's progress lines: "#<executions>: cov: <n> ft: <n> corp: <n> ... crash: <n> ..."
last=$(grep -E '^#[0-9]+: cov:' "$OUT/fuzz.log" | tail -n 1)
[ -n "$last" ] || { tail -n 30 "$OUT/fuzz.log" >&2; fail "the fuzzer did not run (log: build/fuzz/fuzz.log)"; }
executions=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corpus=$(ls "$OUT/corpus" | wc -l)
echo "fuzz: $executions executions in $SECONDS_TO_RUN s; coverage cov $cov ft $ft; corpus $corpus inputs (build/fuzz/corpus)"

# Each finding replayed once; grouped by what failed, numbers blanked so that one defect is one line.
findings=$(find "$OUT/findings" -type f | wc -l)
echo "fuzz: $findings findings in build/fuzz/findings/"
for finding in "$OUT"/findings/*; do
  [ -f "$finding" ] || continue
  OTAU_FUZZ_AGENT="$ROOT_DIR/build/agent.wasm" "$OUT/fuzz_agent" "$finding" 2>&1 |
    grep -m 1 -E 'fuzz oracle:|ERROR: AddressSanitizer|runtime error:|ERROR: libFuzzer' |
    sed -e 's/^.*\(fuzz oracle:\|ERROR: \|runtime error:\)/\1/' -e 's/[0-9][0-9]*/N/g' | cut -c 1-160
done | sort | uniq -c | sort -rn
echo "fuzz: replay one with OTAU_FUZZ_VERBOSE=1 OTAU_FUZZ_AGENT=build/agent.wasm build/fuzz/fuzz_agent <finding>"
[ "$status" -eq 0 ] || fail "libFuzzer exited with status $status (log: build/fuzz/fuzz.log)"
[ "$findings" -eq 0 ] || exit 1
