#!/bin/sh
# Builds the C host and its tests (wasm3 and aot), runs the tests, runs them again under valgrind, and checks
# that otau-host's SHA-256 of a 1 MiB file under valgrind matches sha256sum with no memory errors.
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="$ROOT_DIR/build/host"
AGENT="$ROOT_DIR/build/agent.wasm"

fail() {
  echo "test-host: $1" >&2
  exit 1
}

command -v valgrind >/dev/null 2>&1 || fail "valgrind is required (apt-get install valgrind)"
sh "$ROOT_DIR/scripts/fetch-wasm3.sh"
if [ ! -f "$AGENT" ]; then
  (cd "$ROOT_DIR" && npx asc --target release) || fail "cannot build build/agent.wasm"
fi
sh "$ROOT_DIR/scripts/build-host.sh" all

# Both builds: wasm3 (build/host/) and the agent translated ahead of time (build/host-aot/).
for dir in "$BUILD_DIR" "$BUILD_DIR-aot"; do
  (cd "$dir" && ctest --label-exclude valgrind --output-on-failure --parallel 2) || fail "C tests failed in $dir"
  (cd "$dir" && ctest --label-regex valgrind --output-on-failure --parallel 2) || fail "C tests failed under valgrind in $dir"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
head -c 1048576 /dev/urandom >"$WORK/random.bin"
expected=$(sha256sum "$WORK/random.bin" | cut -d ' ' -f 1)
actual=$(valgrind --quiet --error-exitcode=1 --leak-check=full --log-file="$WORK/valgrind.log" \
  "$BUILD_DIR/otau-host" sha256 --agent "$AGENT" "$WORK/random.bin") || {
  cat "$WORK/valgrind.log" >&2
  fail "otau-host sha256 failed under valgrind"
}
[ -s "$WORK/valgrind.log" ] && { cat "$WORK/valgrind.log" >&2; fail "valgrind reported problems"; }
[ "$actual" = "$expected" ] || fail "otau-host sha256 of 1 MiB gave $actual, sha256sum $expected"
echo "test-host: otau-host sha256 of 1 MiB under valgrind matches sha256sum ($actual), no memory errors"
