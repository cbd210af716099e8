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
# The agent with coverage points of its own (tests/fuzz/instrument-agent.mjs).
AGENT="$OUT/agent.cov.wasm"
points=$(node "$ROOT_DIR/tests/fuzz/instrument-agent.mjs" "$ROOT_DIR/build/agent.wasm" "$AGENT") ||
  fail "cannot instrument build/agent.wasm"
# -O2: wasm3's interpreter relies on tail calls. Everything is instrumented, wasm3 included: its
# coverage is where the agent's paths show (which opcodes and imports ran, on which values).
FLAGS="-O2 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# OTAU_FUZZ_COVERAGE: the core links the instrumented agent's env.fuzz_cover import.
# wasm3 keeps operands at unaligned addresses by design (the CPUs it targets allow it): UBSan's
# alignment check is off for it alone. -fwrapv as in every build of wasm3 (host/CMakeLists.txt).
(cd "$OUT/wasm3" && "$CC" $FLAGS -fno-sanitize=alignment -fwrapv -w -c "$ROOT_DIR"/third_party/wasm3/m3_*.c) \
  >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; fail "build of wasm3 failed"; }
"$CC" $FLAGS -Wall -DOTAU_FUZZ_COVERAGE \
  -I "$ROOT_DIR/third_party/wasm3" -I "$ROOT_DIR/host/include" -I "$ROOT_DIR/host/core" \
  -I "$ROOT_DIR/host/boot" -I "$ROOT_DIR/host/linux" \
  "$OUT"/wasm3/m3_*.o \
  "$ROOT_DIR/host/core/agent_core.c" "$ROOT_DIR/host/core/agent_runtime_wasm3.c" \
  "$ROOT_DIR/host/core/agent_imports_wasm3.c" "$ROOT_DIR/host/core/agent_imports.c" "$ROOT_DIR/host/core/agent_exports.c" \
  "$ROOT_DIR/host/core/agent_export_calls.c" "$ROOT_DIR/host/core/agent_sha256_native.c" \
  "$ROOT_DIR/host/core/agent_ed25519_absent.c" \
  "$ROOT_DIR/host/boot/boot_crc32.c" "$ROOT_DIR/host/boot/boot_decision.c" \
  "$ROOT_DIR/host/boot/boot_record.c" "$ROOT_DIR/host/boot/boot_sha256.c" \
  "$ROOT_DIR/host/boot/boot_status.c" "$ROOT_DIR/host/boot/boot_flash_hal.c" \
  "$ROOT_DIR/host/linux/file_flash.c" \
  "$ROOT_DIR/tests/fuzz/fuzz_agent.c" "$ROOT_DIR/tests/fuzz/fuzz_device.c" \
  "$ROOT_DIR/tests/fuzz/report_check.c" "$ROOT_DIR/tests/fuzz/signed_check.c" \
  -lcrypto -lm -o "$OUT/fuzz_agent" >>"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; fail "build failed"; }

cd "$ROOT_DIR"
rm -f "$OUT"/findings/* "$OUT/fuzz.log"
# libFuzzer stops at a finding: it is saved in findings/ and the campaign starts again over the
# grown corpus until the time is used (faster than -fork, which re-runs the corpus per job).
deadline=$(( $(date +%s) + SECONDS_TO_RUN ))
runs=0
while [ "$runs" -lt 100 ]; do
  left=$(( deadline - $(date +%s) ))
  [ "$left" -ge 5 ] || break
  runs=$((runs + 1))
  status=0
  OTAU_FUZZ_AGENT="$AGENT" "$OUT/fuzz_agent" \
    -max_total_time="$left" -max_len=4096 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    -dict="$ROOT_DIR/tests/fuzz/agent.dict" \
    -artifact_prefix="$OUT/findings/" "$OUT/corpus" "$ROOT_DIR/tests/fuzz/corpus" \
    >>"$OUT/fuzz.log" 2>&1 || status=$?
  [ "$status" -ne 0 ] || break
  [ -n "$(ls "$OUT/findings")" ] || { tail -n 30 "$OUT/fuzz.log" >&2; fail "libFuzzer failed (status $status) without a finding"; }
done

last=$(grep -E '^#[0-9]+.*cov:' "$OUT/fuzz.log" | tail -n 1)
[ -n "$last" ] || { tail -n 30 "$OUT/fuzz.log" >&2; fail "the fuzzer did not run (log: build/fuzz/fuzz.log)"; }
executions=$(grep -E '^stat::number_of_executed_units' "$OUT/fuzz.log" | awk '{sum += $2} END {print sum}')
cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corpus=$(ls "$OUT/corpus" | wc -l)
echo "fuzz: $executions executions in $SECONDS_TO_RUN s ($runs libFuzzer runs); coverage cov $cov ft $ft; corpus $corpus inputs (build/fuzz/corpus)"
# The corpus run once more, counting the agent's own points it reaches.
OTAU_FUZZ_AGENT="$AGENT" OTAU_FUZZ_POINTS="$points" "$OUT/fuzz_agent" -runs=0 "$OUT/corpus" 2>&1 |
  grep "agent points reached" || true

# Each finding replayed once; grouped by what failed, numbers blanked so that one defect is one line.
findings=$(find "$OUT/findings" -type f | wc -l)
echo "fuzz: $findings findings in build/fuzz/findings/"
for finding in "$OUT"/findings/*; do
  [ -f "$finding" ] || continue
  OTAU_FUZZ_AGENT="$AGENT" "$OUT/fuzz_agent" "$finding" 2>&1 |
    grep -m 1 -E 'fuzz oracle:|ERROR: AddressSanitizer|runtime error:|ERROR: libFuzzer' |
    sed -e 's/^.*\(fuzz oracle:\|ERROR: \|runtime error:\)/\1/' -e 's/[0-9][0-9]*/N/g' | cut -c 1-160
done | sort | uniq -c | sort -rn
echo "fuzz: replay one with OTAU_FUZZ_VERBOSE=1 OTAU_FUZZ_AGENT=build/fuzz/agent.cov.wasm build/fuzz/fuzz_agent <finding>"
[ "$findings" -eq 0 ] || exit 1
