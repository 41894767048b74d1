#!/usr/bin/env bash
# Set up everything the app needs on a Debian machine, idempotently.
#   scripts/setup.sh run    system libraries for PDFs and CJK text, the locked runtime deps
#   scripts/setup.sh test   the same, plus Chromium, poppler and the locked test deps
# System packages are installed only when missing, and only when running as root; otherwise
# the script names what to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in run|test) ;; *) echo "usage: $0 run|test" >&2; exit 2 ;; esac

# WeasyPrint needs Pango; Chinese titles need a CJK font; uv needs venv to bootstrap itself;
# gettext's msgfmt compiles the interface's translations (locale/, docs/translating.md).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core python3-venv gettext)
if [ "$mode" = test ]; then
  # Browser tests drive Debian's Chromium; report tests read PDFs with poppler's tools.
  packages+=(chromium poppler-utils)
  # The accessibility test injects axe-core, installed from the npm registry by npm (below).
  # A machine that already has Node.js and npm keeps its own; others get Debian's.
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
# Django 5.2 supports 3.10 to 3.13; the project needs 3.11 or later.
if ! "$python" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; then
  echo "Python 3.11, 3.12 or 3.13 is required; $python is $("$python" --version 2>&1)." >&2
  echo "Set PYTHON=/path/to/python3.x and run again." >&2
  exit 1
fi

# uv installs the locked dependencies. It lives in its own small venv, so that the system
# Python stays untouched (Debian marks it externally managed).
uv_version=0.13.9
uv=.tools/bin/uv
if ! [ -x "$uv" ] || [ "$("$uv" --version | cut -d' ' -f2)" != "$uv_version" ]; then
  "$python" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==$uv_version"
fi

export UV_PYTHON_DOWNLOADS=never
if [ "$mode" = test ]; then
  "$uv" sync --frozen --quiet --python "$python"
else
  "$uv" sync --frozen --quiet --no-dev --python "$python"
fi
if [ "$mode" = test ]; then
  # Test-only JavaScript (package.json): axe-core, at the version package-lock.json pins.
  # npm ci installs exactly that and runs no install scripts; a copy of the lock file it
  # installed from, kept in node_modules, lets the next run skip it.
  if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-lock.json
  fi
fi
mkdir -p var
# The translations: the .po files are committed, the .mo files Django reads are built from them
# here, every time (it takes a second), so a checkout never serves catalogues older than its .po.
DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules \
  --verbosity=0
