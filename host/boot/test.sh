#!/bin/sh
# Builds host/boot on its own into build/host-boot/ and runs its C test, plain and under
# valgrind (ctest). From the whole host build, scripts/test-host.sh runs the same tests.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/host-boot"
cmake -S "$root/host/boot" -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" >/dev/null
cd "$build" && ctest --output-on-failure
