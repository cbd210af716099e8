#!/bin/sh
# Builds every board's firmware (boards/*/Makefile) and runs the QEMU board's bring-up: flash
# self-test, wasm3 smoke test, a full update and an agent restarted after traps under QEMU.
# Needs build/agent.wasm.
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)

for makefile in "$ROOT_DIR"/boards/*/Makefile; do
  board_dir=$(dirname "$makefile")
  board=$(basename "$board_dir")
  log="$ROOT_DIR/build/boards/$board.build.log"
  mkdir -p "$ROOT_DIR/build/boards"
  if ! make -C "$board_dir" -j2 >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "test-boards: $board does not build (full log: build/boards/$board.build.log)" >&2
    exit 1
  fi
  echo "test-boards: $board builds"
done

sh "$ROOT_DIR/boards/qemu-mps2-an386/bringup.sh"
