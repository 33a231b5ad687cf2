#!/usr/bin/env bash
# Runs each libFuzzer target of an asan build for a while, starting from its
# seed corpus and regressions. CI runs it for a short smoke; tests/README.md
# gives the long run.
#
#   tests/fuzz/run-fuzzers.sh [BUILD_DIR] [SECONDS_PER_TARGET] [TARGET...]
#
# New inputs go to BUILD_DIR/fuzz/corpus/<target> (kept between runs, never to
# the seed corpus in the repository); a crash, a sanitizer report, a failed
# FUZZ_CHECK, a Qt assert, a timeout or running out of memory leaves its input
# in BUILD_DIR/fuzz/artifacts/<target>/ and fails the run. Every target runs,
# even after one fails; the exit status is non-zero when any failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
builddir="${1:-build/asan}"
seconds="${2:-25}"
shift $(( $# < 2 ? $# : 2 ))

# The longest input each target is given: a little above its largest seed.
declare -A max_len=(
  [fuzz_api_result]=4096
  [fuzz_retry_after]=256
  [fuzz_multipart]=8192
  [fuzz_rtf]=8192
  [fuzz_resume]=16384
  [fuzz_validators]=1024
  [fuzz_csv]=8192
  [fuzz_xlsx]=16384
)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_api_result fuzz_retry_after fuzz_multipart fuzz_rtf fuzz_resume fuzz_validators fuzz_csv fuzz_xlsx)

supp="$here/../sanitizers"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1:intercept_tls_get_addr=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
export QT_QPA_PLATFORM=offscreen

# One target's run; its exit status is the target's. Runs in the background,
# so it reports through its log and its status alone.
fuzz_one() {
  local target="$1"
  local exe="$builddir/tests/fuzz/$target"
  local work="$builddir/fuzz/corpus/$target"
  local artifacts="$builddir/fuzz/artifacts/$target"
  local log="$builddir/fuzz/$target.log"
  mkdir -p "$work" "$artifacts"
  local seeds=("$here/corpus/$target")
  [ -d "$here/regressions/$target" ] && seeds+=("$here/regressions/$target")
  local dict=()
  [ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
  "$exe" -max_total_time="$seconds" -max_len="${max_len[$target]:-4096}" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
    "$work" "${seeds[@]}" >"$log" 2>&1
}

# As many targets at once as there are cores (FUZZ_JOBS to change it): each
# target still gets its full time, and the phase takes a fraction of it.
lanes="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}"
failed=()
declare -A pid_of=()
report() {
  local target="$1" status="$2"
  local artifacts="$builddir/fuzz/artifacts/$target" log="$builddir/fuzz/$target.log"
  echo "fuzz: $target ran ${seconds}s (max_len ${max_len[$target]:-4096}): $(grep -a -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr -s ' ' | tr '\n' ' ')"
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $status); the input is in $artifacts, the log is $log:" >&2
    tail -n 60 "$log" >&2
    failed+=("$target")
  fi
}
wait_for() {
  local target="$1" status=0
  wait "${pid_of[$target]}" || status=$?
  unset "pid_of[$target]"
  report "$target" "$status"
}
running=()
for target in "${targets[@]}"; do
  if [ ! -x "$builddir/tests/fuzz/$target" ]; then
    echo "fuzz: $builddir/tests/fuzz/$target is missing (configure with the asan preset)" >&2
    failed+=("$target")
    continue
  fi
  mkdir -p "$builddir/fuzz"
  if [ ${#running[@]} -ge "$lanes" ]; then
    wait_for "${running[0]}"
    running=("${running[@]:1}")
  fi
  fuzz_one "$target" &
  pid_of[$target]=$!
  running+=("$target")
done
for target in "${running[@]}"; do
  wait_for "$target"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding"
