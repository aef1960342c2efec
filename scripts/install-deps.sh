#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Firebreak. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

# Installs the Debian packages of "$@" that are not installed yet; $1 says what they are for.
install_missing() {
  local what=$1
  shift
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing $what: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

install_missing "system packages" build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev \
  libayatana-appindicator3-dev libdbus-1-dev xvfb webkit2gtk-driver poppler-utils qpdf python3

# `make test` tries the seal key's OS keyring against a real Secret Service: GNOME Keyring in a private D-Bus session.
if [ "$mode" = "e2e" ]; then
  install_missing "keyring test packages" dbus gnome-keyring libsecret-tools
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))."
  echo "Install it (for example from your distribution's backports or nodejs.org), then run this again." >&2
  exit 1
fi

# npm packages of the UI, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi

# The benchmarks compare with headless Chromium and measure peak memory with GNU time (`make bench` only).
if [ "$mode" = "bench" ]; then
  install_missing "benchmark packages" chromium time sqlite3 ripgrep
fi

if [ "$mode" = "e2e" ] && ! command -v tauri-driver >/dev/null; then
  echo "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked
fi
