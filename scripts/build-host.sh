#!/bin/sh
# Configures and builds the C host (host/CMakeLists.txt), Release, quietly: the compiler's output
# is shown only when a build fails. Two builds, of target $1 (default otau-host and boot-verify,
# the bootloader's verifier the node tests drive; "all" adds the C tests):
#   build/host/      wasm3 runs build/agent.wasm
#   build/host-aot/  build/agent.wasm translated by wasm2c and compiled in
#   build/host-ed25519/  otau-host only, wasm3, the agent's ed25519_native import answered by
#                        the bootloader's translated verifier (-DOTAU_NATIVE_ED25519=ON)
set -eu

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${1:-otau-host boot-verify}

build() { # build <dir under build/> <target> <cmake options...>
  dir=$1
  target=$2
  shift 2
  build_dir="$ROOT_DIR/build/$dir"
  log_file="$build_dir/build.log"
  mkdir -p "$build_dir"
  if ! { cmake -S "$ROOT_DIR/host" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" &&
    cmake --build "$build_dir" --target $target --parallel 2; } >"$log_file" 2>&1; then
    tail -n 40 "$log_file" >&2
    echo "build-host: build failed (full log: build/$dir/build.log)" >&2
    exit 1
  fi
  echo "build-host: built $target in build/$dir/"
}

build host "$TARGET" -DOTAU_RUNTIME=wasm3
build host-aot "$TARGET" -DOTAU_RUNTIME=aot
build host-ed25519 otau-host -DOTAU_RUNTIME=wasm3 -DOTAU_NATIVE_ED25519=ON
