#!/bin/sh
# Fetches wasm3 v0.5.0's C sources at install time (npm postinstall). They come from the
# PyPI source distribution of pywasm3 0.5.0, checked against a pinned sha256, and are
# extracted into third_party/wasm3/, which git ignores: wasm3's code is never committed.
set -eu

SDIST_NAME="pywasm3-0.5.0"
SDIST_SHA256="5a47c8a39f7f6ae71b3316b2e5d86c9d0db6e771a65f09a86e4d4aa3a19aefcc"

ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
DEST_DIR="$ROOT_DIR/third_party/wasm3"
STAMP_FILE="$DEST_DIR/.sdist-sha256"

fail() {
  echo "fetch-wasm3: $1" >&2
  exit 1
}

# Idempotent: a complete earlier extraction of the same pinned archive is kept as is.
if [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$SDIST_SHA256" ] && [ -f "$DEST_DIR/wasm3.h" ]; then
  exit 0
fi

command -v python3 >/dev/null 2>&1 || fail "python3 is required to download $SDIST_NAME from PyPI"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum is required to check $SDIST_NAME"

WORK_DIR=$(mktemp -d)
trap 'rm -rf "$WORK_DIR"' EXIT INT TERM

if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
  "pywasm3==0.5.0" -d "$WORK_DIR" >"$WORK_DIR/pip.log" 2>&1; then
  tail -n 3 "$WORK_DIR/pip.log" >&2
  fail "could not download $SDIST_NAME from PyPI (see the pip output above)"
fi

ARCHIVE="$WORK_DIR/$SDIST_NAME.tar.gz"
[ -f "$ARCHIVE" ] || fail "pip did not produce $SDIST_NAME.tar.gz"

ACTUAL_SHA256=$(sha256sum "$ARCHIVE" | cut -d ' ' -f 1)
[ "$ACTUAL_SHA256" = "$SDIST_SHA256" ] ||
  fail "$SDIST_NAME.tar.gz has sha256 $ACTUAL_SHA256, expected $SDIST_SHA256"

tar -xzf "$ARCHIVE" -C "$WORK_DIR" "$SDIST_NAME/wasm3" "$SDIST_NAME/LICENSE" ||
  fail "could not extract wasm3 sources from $SDIST_NAME.tar.gz"
[ -f "$WORK_DIR/$SDIST_NAME/wasm3/wasm3.h" ] || fail "$SDIST_NAME.tar.gz holds no wasm3/wasm3.h"

# Replace the folder in one step so a failed run never leaves a half-extracted tree.
rm -rf "$DEST_DIR"
mkdir -p "$(dirname "$DEST_DIR")"
mv "$WORK_DIR/$SDIST_NAME/wasm3" "$DEST_DIR"
mv "$WORK_DIR/$SDIST_NAME/LICENSE" "$DEST_DIR/LICENSE"
echo "$SDIST_SHA256" >"$STAMP_FILE"
echo "fetch-wasm3: wasm3 v0.5.0 sources extracted into third_party/wasm3/"
