#!/bin/sh
# Builds host/boot on its own and runs its C test (under valgrind when installed).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/host-boot"
cmake -S "$root/host/boot" -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" >/dev/null
if command -v valgrind >/dev/null 2>&1; then
  exec valgrind --quiet --error-exitcode=3 --leak-check=full "$build/test-boot-decision"
fi
exec "$build/test-boot-decision"
