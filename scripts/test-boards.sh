#!/bin/sh
# Builds every board's firmware (boards/*/Makefile) with each runtime (wasm3, and aot: the agent
# translated ahead of time) and runs the QEMU board's bring-up: flash self-test, then for each
# runtime the smoke test, a full update and an agent restarted after traps under QEMU.
# Needs build/agent.wasm.
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)

for makefile in "$ROOT_DIR"/boards/*/Makefile; do
  board_dir=$(dirname "$makefile")
  board=$(basename "$board_dir")
  log="$ROOT_DIR/build/boards/$board.build.log"
  mkdir -p "$ROOT_DIR/build/boards"
  for runtime in wasm3 aot; do
    if ! make -C "$board_dir" -j2 RUNTIME=$runtime >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      echo "test-boards: $board does not build with RUNTIME=$runtime (full log: build/boards/$board.build.log)" >&2
      exit 1
    fi
    echo "test-boards: $board builds (RUNTIME=$runtime)"
  done
done

sh "$ROOT_DIR/boards/qemu-mps2-an386/bringup.sh"
