#!/bin/sh
# Installs the Debian packages the build and the tests need, when they are missing:
# cmake (the C host), libcurl and libmosquitto (otau-host run), valgrind (host tests), clang and
# its sanitizer/libFuzzer runtime (the fuzzing campaign), mosquitto and its clients and nats-server
# (real brokers), python3-venv (scripts/install-python-tools.sh), chromium (the console test),
# wabt (test modules from .wat; wasm2c translates the agent for the aot builds), binaryen, mosquitto, the ARM toolchain and QEMU (boards),
# openssl (the CLI signs the emulators' per-run MQTT TLS certificates),
# libssl-dev (libcrypto's Ed25519 judges signatures in the fuzz harness, tests/fuzz/signed_check.c).
# Uses sudo when not root; does nothing when everything is installed.
set -eu

PACKAGES="cmake valgrind wabt binaryen libcurl4-openssl-dev libmosquitto-dev mosquitto mosquitto-clients nats-server clang libclang-rt-14-dev python3-venv chromium gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm openssl libssl-dev"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -z "$missing" ]; then
  echo "install-system-packages: all present"
  exit 0
fi
echo "install-system-packages: installing$missing"
$SUDO apt-get update -qq
# $missing is a list of package names: split on purpose.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
