#!/usr/bin/env bash
# Runs ctest inside a D-Bus session (setup.sh starts it) with an unlocked
# gnome-keyring, so the keychain test meets a real Secret Service.
#
#   run-tests.sh BUILD_DIR [CTEST_ARGS...]
set -uo pipefail
builddir="$1"
shift
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # A throwaway keyring: the daemon keeps keyrings in $XDG_DATA_HOME/keyrings
  # and its socket in $XDG_RUNTIME_DIR, which would otherwise be the
  # developer's own. The password must not be empty: on empty stdin the daemon
  # creates no 'login' collection, and every write then fails ("Object does
  # not exist at path /org/freedesktop/secrets/collection/login").
  keyring="$(mktemp -d)"
  trap 'rm -rf "$keyring"' EXIT
  mkdir -m 700 "$keyring/data" "$keyring/run"
  eval "$(printf 'candidate-desk-tests' | XDG_DATA_HOME="$keyring/data" \
    XDG_RUNTIME_DIR="$keyring/run" gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
fi
ctest --test-dir "$builddir" --output-on-failure -j2 --timeout 300 "$@"
