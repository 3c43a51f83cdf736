#!/bin/sh
# Install the programs the tests use beyond Python packages, each only when it is missing, so
# the README's test command works on a fresh Debian machine and costs nothing the second time:
#   - poppler-utils (pdfinfo, pdftoppm) and qpdf: PDF readers we did not write;
#   - chromium (Debian's; Playwright's own browser download is not reachable) and libatomic1,
#     which the Node binary inside the Playwright wheel needs on a minimal Debian;
#   - Node.js and npm, then tests/js (pinned pdf.js and axe-core) from package-lock.json;
#   - fonts-dejavu-core: a font that draws invisible format characters, for the check that warns of them.
# On a machine without apt-get it names what is missing and stops.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

missing=""
command -v pdfinfo >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
if command -v dpkg >/dev/null 2>&1; then
  dpkg -s libatomic1 >/dev/null 2>&1 || missing="$missing libatomic1"
fi

if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need:$missing. Install them with your system's package manager, then run the tests again." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing:$missing"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing
fi

# tests/js/node_modules is current when it was installed from this very lock file.
stamp="$here/js/node_modules/.installed-from-lock"
if ! cmp -s "$here/js/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$here/js" && npm ci --omit=optional --no-audit --no-fund --loglevel=error)
  cp "$here/js/package-lock.json" "$stamp"
fi
