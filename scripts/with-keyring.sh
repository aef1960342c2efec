#!/usr/bin/env bash
# Runs "$@" in a private D-Bus session whose Secret Service is a new GNOME Keyring, unlocked, kept in a temporary
# folder: `make test` tries the seal key's keyring home against it without touching the user's own keyring.
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: run ./scripts/install-deps.sh e2e (it installs dbus, gnome-keyring and libsecret-tools)." >&2
    exit 1
  fi
done
if [ -z "${FIREBREAK_TEST_KEYRING:-}" ]; then
  # Without a display no unlock prompt can appear, so nothing can wait on one.
  exec env -u DISPLAY -u WAYLAND_DISPLAY FIREBREAK_TEST_KEYRING=1 dbus-run-session -- "$0" "$@"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/runtime"
# The login collection is made with, and unlocked by, a throwaway password; it becomes the default collection.
printf 'firebreak-test' | XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" \
  gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
