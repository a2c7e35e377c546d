#!/usr/bin/env bash
# Installs the Debian 12 packages that stand in for presets/parlai/requirements.txt on this CI machine (the
# list measured in ../shared/fixtures/README.md): Sphinx 5.3, myst-parser 0.18, sphinx-rtd-theme 1.2,
# GitPython and the light modules ParlAI's API pages import. Nothing comes from pip; Markdown 3.3.2, py-gfm 1.0.2
# and iopath come from the vendored fixture. Run as root. Exits 0 when they are installed (or already were),
# non-zero with a reason when they cannot be (no apt-get, not root, no network): the ParlAI test then skips.
set -euo pipefail

PACKAGES=(
  git python3 python3-sphinx python3-myst-parser python3-sphinx-rtd-theme python3-git
  python3-yaml python3-tqdm python3-regex python3-requests python3-portalocker python3-numpy
  python3-typing-extensions python3-packaging
  # needed by the chat_service API pages; without them sphinx-build -W fails
  python3-sh python3-tornado python3-websocket python3-joblib
  # GNU time, for the benchmark's peak memory
  time
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "parlai-deps: all ${#PACKAGES[@]} Debian packages already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "parlai-deps: apt-get not found (not Debian/Ubuntu); missing: ${missing[*]}" >&2
  exit 3
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "parlai-deps: not root, cannot apt-get install; missing: ${missing[*]}" >&2
  exit 4
fi
echo "parlai-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -q
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
