#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Firebreak. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

packages=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev xvfb webkit2gtk-driver poppler-utils qpdf python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
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
  bench_missing=()
  for p in chromium time; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || bench_missing+=("$p")
  done
  if [ ${#bench_missing[@]} -gt 0 ]; then
    echo "Installing benchmark packages: ${bench_missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${bench_missing[@]}"
  fi
fi

if [ "$mode" = "e2e" ] && ! command -v tauri-driver >/dev/null; then
  echo "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked
fi
