#!/usr/bin/env bash
# Headless Chromium for the dashboard's browser test (aggregator's DashboardBrowserIT), from Debian's
# packages, in the way fetch-test-data.sh takes its image from one:
#  - as root (CI) or with password-less sudo: apt-get install chromium;
#  - otherwise: apt-get download of chromium and of the libraries it needs that this machine lacks,
#    unpacked under .trapline/chromium with dpkg-deb (nothing installed), run through a small wrapper.
# A second run does nothing. When neither works it says why and exits 0: the browser test then skips
# with that reason. TRAPLINE_CHROMIUM_UNPACK=1 takes the second way even as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.trapline/chromium"
UNPACK="${TRAPLINE_CHROMIUM_UNPACK:-0}"

if [ "$UNPACK" != 1 ]; then
  for name in chromium chromium-browser google-chrome; do
    command -v "$name" >/dev/null 2>&1 && exit 0
  done
fi
[ -x "$DIR/chromium" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "install-chromium: no apt-get/dpkg-deb here; install Chromium and put it on the PATH, or set TRAPLINE_CHROMIUM" >&2
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

if [ "$UNPACK" != 1 ] && as_root true; then
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
    as_root apt-get update -qq >/dev/null 2>&1 || true
    as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  echo "install-chromium: $(command -v chromium)"
  exit 0
fi

# no root: the packages' files, unpacked
WORK="$DIR/download"
rm -rf "$WORK" "$DIR/root"
mkdir -p "$WORK" "$DIR/root"
cd "$WORK"
if ! apt-cache show chromium >/dev/null 2>&1; then
  echo "install-chromium: apt knows no 'chromium' package (no package lists, and no root to fetch them)" >&2
  exit 0
fi
wanted="chromium chromium-common"
for package in $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
                   --no-replaces --no-enhances chromium 2>/dev/null | grep '^[a-z0-9]' | sort -u); do
  case " $wanted " in *" $package "*) continue ;; esac
  dpkg -s "$package" >/dev/null 2>&1 || wanted="$wanted $package"
done
# shellcheck disable=SC2086  # one word per package
if ! apt-get download $wanted >/dev/null 2>&1; then
  echo "install-chromium: apt-get download failed for: $wanted" >&2
  exit 0
fi
for deb in ./*.deb; do
  dpkg-deb -x "$deb" "$DIR/root"
done
LIBS=$(find "$DIR/root/usr/lib" "$DIR/root/lib" -maxdepth 1 -type d -name '*-linux-gnu*' 2>/dev/null | tr '\n' ':')
cat > "$DIR/chromium" <<WRAPPER
#!/bin/sh
# Chromium unpacked from Debian's packages by bin/install-chromium.sh
LD_LIBRARY_PATH="${LIBS}$DIR/root/usr/lib/chromium\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$DIR/root/usr/lib/chromium/chromium" "\$@"
WRAPPER
chmod +x "$DIR/chromium"
cd "$DIR" && rm -rf "$WORK"
echo "install-chromium: $DIR/chromium ($(echo $wanted | wc -w) packages unpacked)"
