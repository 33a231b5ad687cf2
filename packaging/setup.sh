#!/usr/bin/env bash
# The README's two commands, and the only place that installs what the project needs.
#
#   packaging/setup.sh run    install what is missing, build, start the app against the sandbox
#   packaging/setup.sh test   install what is missing, build, run every test (ctest)
#
# CI (.ci/run) runs "packaging/setup.sh test" and nothing more.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
mode="${1:-}"

case "$mode" in
  run|test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

install_packages() {
  local wanted missing=() pkg
  wanted=$(grep -vE '^\s*(#|$)' "$here/debian-packages.txt")
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_packages
cd "$top"

# CI builds with warnings as errors; a developer's newer compiler should not stop a first run.
preset=dev
[ "${CI:-}" = "true" ] && preset=ci

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

if [ "$mode" = run ]; then
  app="build/$preset/app/candidate-desk"
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: starting the window on a virtual display (xvfb-run)."
    exec xvfb-run -a "$app" --sandbox
  fi
  exec "$app" --sandbox
fi

# Tests: GUI tests run offscreen; the keychain test needs a session bus with an unlocked keyring.
export QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- bash "$here/run-tests.sh" "build/$preset"
