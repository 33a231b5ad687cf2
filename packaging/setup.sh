#!/usr/bin/env bash
# The README's two commands, and the only place that installs what the project needs.
#
#   packaging/setup.sh run    install what is missing, build, start the app against the sandbox
#   packaging/setup.sh test   install what is missing, build, run every test (ctest); then the
#                             same tests built with sanitizers (the asan preset) and a short
#                             run of every fuzz target
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

if [ "$mode" = run ]; then
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  app="build/$preset/app/candidate-desk"
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: starting the window on a virtual display (xvfb-run)."
    exec xvfb-run -a "$app" --sandbox
  fi
  exec "$app" --sandbox
fi

# Tests, in phases: the build and its tests, then the same suite built with
# clang and AddressSanitizer + UBSan (the asan preset), then a short run of
# each libFuzzer target. Every phase runs even when one before it failed, so
# one run reports them all; the exit status is non-zero when any failed.
# GUI tests run offscreen; the keychain test needs a session bus with an
# unlocked keyring.
export QT_QPA_PLATFORM=offscreen
set +e
results=()
failures=0

# phase NAME COMMAND...: runs and times one phase.
phase() {
  local name="$1" start=$SECONDS status
  shift
  echo
  echo "==> $name"
  "$@"
  status=$?
  local verdict="ok"
  [ $status -eq 0 ] || verdict="FAILED (exit $status)"
  results+=("$(printf '%-28s %5ss  %s' "$name" $((SECONDS - start)) "$verdict")")
  [ $status -eq 0 ] || failures=$((failures + 1))
  return $status
}

build() {
  cmake --preset "$1" >/dev/null && cmake --build --preset "$1"
}

# The main suite's output is kept, so its summary can be shown again at the end.
main_ctest() {
  dbus-run-session -- bash "$here/run-tests.sh" "build/$preset" 2>&1 | tee "build/$preset/ctest.log"
}

asan_ctest() {
  dbus-run-session -- bash "$here/run-tests.sh" build/asan
}

rm -f "build/$preset/ctest.log"

if phase "build ($preset)" build "$preset"; then
  phase "ctest ($preset)" main_ctest
fi
if phase "build (asan)" build asan; then
  phase "ctest (asan)" asan_ctest
  phase "fuzz smoke (asan)" bash "$top/tests/fuzz/run-fuzzers.sh" build/asan "${CDESK_FUZZ_SECONDS:-10}"
fi

echo
echo "==> Summary"
if [ -f "build/$preset/ctest.log" ]; then
  echo "ctest ($preset):"
  grep -E 'tests passed|tests failed|The following tests|^[[:space:]]+[0-9]+ - ' \
    "build/$preset/ctest.log" | sed 's/^/  /'
fi
printf '%s\n' "${results[@]}"
[ $failures -eq 0 ] || echo "$failures phase(s) failed."
exit $(( failures > 0 ))
