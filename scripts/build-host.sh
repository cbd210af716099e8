#!/bin/sh
# Configures and builds the C host (host/CMakeLists.txt) into build/host/, Release, quietly:
# the compiler's output is shown only when the build fails.
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="$ROOT_DIR/build/host"
LOG_FILE="$BUILD_DIR/build.log"
TARGET=${1:-otau-host}

mkdir -p "$BUILD_DIR"
if ! { cmake -S "$ROOT_DIR/host" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release &&
  cmake --build "$BUILD_DIR" --target "$TARGET" --parallel 2; } >"$LOG_FILE" 2>&1; then
  tail -n 40 "$LOG_FILE" >&2
  echo "build-host: build failed (full log: build/host/build.log)" >&2
  exit 1
fi
echo "build-host: built $TARGET in build/host/"
