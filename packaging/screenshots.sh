#!/usr/bin/env bash
# Takes the README's screenshots from the real window under Xvfb: a filled
# form and the history. Not part of the two set-up commands; run it after
# `packaging/setup.sh run` (or test) has built the app:
#   bash packaging/screenshots.sh [build/dev]
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$top/build/dev}"
app="$build/app/candidate-desk"
out="$top/docs/screenshots"

need=()
for tool in xdotool:xdotool xwd:x11-apps convert:imagemagick xvfb-run:xvfb; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data"
unset DBUS_SESSION_BUS_ADDRESS

# A little history first, through the command line and the sandbox.
"$app" submit --sandbox --name 'Asha Rao' --email asha.rao@example.com --phone '98765 43210' \
  --resume-url https://files.example.com/asha.pdf --job 101 --source Referral >/dev/null
"$app" submit --sandbox --name 'Ravi Kumar' --email ravi.kumar@example.com --phone '+91 91234 56780' \
  --resume-url https://files.example.com/ravi.pdf --job 104 --source LinkedIn >/dev/null
"$app" submit --sandbox --name 'Meera Iyer' --email meera.iyer@example.com --phone '+91 99887 76655' \
  --resume-url https://files.example.com/meera.pdf --source 'Job board' >/dev/null
"$app" submit --sandbox --name 'Asha Rao' --email asha.rao@example.com --phone '98765 43210' \
  --resume-url https://files.example.com/asha2.pdf >/dev/null || true   # needs a decision

mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -e
  "'"$app"'" --sandbox &
  pid=$!
  sleep 4
  win=$(xdotool search --sync --name "Candidate Desk" | head -1)
  xdotool windowmove "$win" 0 0 windowsize "$win" 1280 800
  sleep 1
  xdotool windowactivate --sync "$win" 2>/dev/null || true
  field() { xdotool mousemove "$1" "$2" click 1; sleep 0.3; xdotool type --delay 12 "$3"; }
  field 300 58 "Zoe Fernandes"
  field 300 86 "zoe.fernandes@example.com"
  field 300 114 "98201 44556"
  field 300 200 "https://files.example.com/zoe-fernandes.pdf"
  field 300 258 "Product"
  xdotool key Down Return
  field 300 535 "Design"
  xdotool mousemove 16 597 click 1
  sleep 1
  xwd -root -silent | convert xwd:- -crop 1280x800+0+0 "'"$out"'/window-form.png"
  # The history: pick the first row to show what was sent and what came back.
  xdotool mousemove 760 114 click 1
  sleep 1
  xwd -root -silent | convert xwd:- -crop 1280x800+0+0 "'"$out"'/window-history.png"
  kill $pid
'
echo "Screenshots in $out"
