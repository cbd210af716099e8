#!/bin/sh
# Installs the Python tools the tests drive, pinned in scripts/python-requirements.txt, into the
# git-ignored virtual environment .venv/: MCUboot's imgtool (signs and verifies images), Exosite's
# device client murano-client (the `gdc` CLI) and paho-mqtt (a Kaa tutorial-style device).
# Does nothing when .venv already holds exactly those pins.
set -eu
cd "$(dirname "$0")/.."

REQUIREMENTS=scripts/python-requirements.txt
STAMP=.venv/.requirements

if [ -f "$STAMP" ] && cmp -s "$REQUIREMENTS" "$STAMP"; then
  echo "install-python-tools: .venv up to date"
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$STAMP"
echo "install-python-tools: .venv ready ($(.venv/bin/imgtool version | tail -n 1) imgtool)"
