#!/usr/bin/env bash
# Test images that ../shared lacks, from Debian's packages: a real photograph of a person, for the
# redaction tests (NASA's public-domain portrait of astronaut Eileen Collins, as shipped in
# scikit-image's sample data). Only the package file is downloaded and one image taken from it;
# nothing is installed. Kept in .trapline/test-data; a second run does nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.trapline/test-data"
[ -s "$DIR/astronaut.png" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "fetch-test-data: no apt-get/dpkg-deb here; put a photograph of a person at $DIR/astronaut.png" >&2
  exit 0
fi
WORK="$DIR/download"
mkdir -p "$WORK"
cd "$WORK"
if ! apt-get download python3-skimage >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get download python3-skimage >/dev/null
fi
dpkg-deb --fsys-tarfile python3-skimage_*.deb \
  | tar -x -O ./usr/lib/python3/dist-packages/skimage/data/astronaut.png > "$DIR/astronaut.png.part"
mv "$DIR/astronaut.png.part" "$DIR/astronaut.png"
cd "$DIR" && rm -rf "$WORK"
echo "fetch-test-data: $DIR/astronaut.png"
