#!/usr/bin/env bash
# Runs ctest inside a D-Bus session (setup.sh starts it) with an unlocked
# gnome-keyring, so the keychain test meets a real Secret Service.
set -uo pipefail
builddir="$1"
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # An empty password unlocks a fresh login keyring for this session only.
  eval "$(printf '' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
fi
ctest --test-dir "$builddir" --output-on-failure -j2 --timeout 300
