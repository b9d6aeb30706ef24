#!/bin/bash
# test-autosave-kill.sh: the real netsketch, killed with SIGKILL after edits,
# loses at most the last autosave interval of work, and its next start offers
# the rest back; Quit and SIGTERM autosave at once. Drives the app with
# xdotool under the tests' X server; prints TAP.
# Usage: test-autosave-kill.sh NETSKETCH (meson passes the built app, and sets
# NETSKETCH_CLI and NETSKETCH_SOURCE_ROOT).

. "$(dirname "$0")/cli-tap.sh"
app=${1:?usage: test-autosave-kill.sh NETSKETCH}

if [ -z "${DISPLAY:-}" ] || ! command -v xdotool >/dev/null; then
  echo "1..0 # SKIP needs an X display and xdotool"
  exit 0
fi

# Short enough to wait for, long enough that a kill lands inside it.
interval=3
export XDG_STATE_HOME=$tmp/state
autosaves=$XDG_STATE_HOME/netsketch/autosave
net=$tmp/net.netsketch
cp "$root/data/examples/article.netsketch" "$net"
: >"$tmp/out"
: >"$tmp/err"
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

echo "1..9"

# Starts the app with the autosave interval $1 and the files after it.
start_app () {
  NETSKETCH_AUTOSAVE_INTERVAL=$1 "$app" "${@:2}" >>"$tmp/app.log" 2>&1 &
  pid=$!
}

# The id of the shown window whose title matches $1, once it is there.
find_window () {
  timeout 30 xdotool search --sync --onlyvisible --name "$1" 2>/dev/null | head -n 1
}

# Waits up to $2 seconds for a window titled $1.
wait_for_title () {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    xdotool search --onlyvisible --name "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# Focuses the canvas of window $1 with a click on its empty top part: below
# the header bar, above the nodes, between the palette and the inspector.
focus_canvas () {
  local X Y WIDTH HEIGHT SCREEN WINDOW
  eval "$(xdotool getwindowgeometry --shell "$1")"
  xdotool windowfocus --sync "$1"
  xdotool mousemove --sync $((X + WIDTH / 2)) $((Y + HEIGHT / 8)) click 1
  sleep 0.3
}

entry_count () {
  find "$autosaves" -name '*.netsketch' 2>/dev/null | wc -l
}

# The layers of the network in $1, as netsketch-cli counts them.
layer_count () {
  "$cli" summary --format json "$1" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["layers"]))'
}

newest_entry () {
  ls -t "$autosaves"/*.netsketch 2>/dev/null | head -n 1
}

# Stops the app with signal $1 and waits for it; its exit status in $status.
stop_app () {
  kill "-$1" "$pid"
  wait "$pid"
  status=$?
  pid=
}

# --- A first run: an edit, autosaved within the interval; a second edit, killed.
start_app $interval "$net"
window=$(find_window '^net\.netsketch$')
[ -n "$window" ]
report $? "the app shows net.netsketch"

# Select all and duplicate: the article's 10 layers become 20.
focus_canvas "$window"
xdotool key ctrl+a ctrl+d
start_ns=$(date +%s%N)
wait_for_title '^• net\.netsketch$' 5
report $? "duplicating every layer marks the window modified"

while [ "$(entry_count)" -eq 0 ] && [ $(( ($(date +%s%N) - start_ns) / 1000000 )) -lt 10000 ]; do
  sleep 0.05
done
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
entry=$(newest_entry)
echo "# autosaved after ${elapsed_ms} ms (interval ${interval} s)"
[ "$(entry_count)" -eq 1 ] && [ "$elapsed_ms" -le $((interval * 1000 + 2000)) ] &&
  [ "$(layer_count "$entry")" -eq 20 ] &&
  grep -qF "\"file://$net\"" "${entry%.netsketch}.json"
report $? "the edit is autosaved within the interval: 20 layers, saving to net.netsketch"

# Delete the 10 duplicates (still selected), then kill within the interval.
xdotool key Delete
sleep 0.5
cp "$entry" "$tmp/before-kill.netsketch"
stop_app KILL
[ "$status" -eq 137 ] && [ "$(entry_count)" -eq 1 ] && cmp -s "$entry" "$tmp/before-kill.netsketch" &&
  [ "$(layer_count "$entry")" -eq 20 ] && cmp -s "$net" "$root/data/examples/article.netsketch"
report $? "killed with SIGKILL: the autosave keeps 20 layers, only the last edit is lost, the file is untouched"

# --- The next start offers the network back; Recover, then Save.
start_app 600
dialog=$(find_window '^Recover Unsaved Work\?$')
[ -n "$dialog" ]
report $? "the next start offers the unsaved work back"
sleep 0.5
if [ -n "${G_TEST_BUILDDIR:-}" ]; then
  import -window root "$G_TEST_BUILDDIR/autosave-recovery-offer.png" 2>/dev/null ||
    echo "# no screenshot: ImageMagick's import failed"
fi

# Enter takes the default response, Recover.
xdotool windowfocus --sync "$dialog" key Return
wait_for_title '^• net\.netsketch$' 10
report $? "Recover opens it unsaved, under its own file's name"

window=$(find_window '^• net\.netsketch$')
xdotool windowfocus --sync "$window" key ctrl+s
wait_for_title '^net\.netsketch$' 10 && [ "$(layer_count "$net")" -eq 20 ] && [ "$(entry_count)" -eq 0 ]
report $? "Save writes the 20 layers to net.netsketch and deletes the autosave"

# --- Quit does not ask: it autosaves what is unsaved, at once.
focus_canvas "$window"
xdotool key ctrl+a Delete
wait_for_title '^• net\.netsketch$' 5 && sleep 0.3 && xdotool key ctrl+q
wait "$pid"
status=$?
pid=
[ "$status" -eq 0 ] && [ "$(entry_count)" -eq 1 ] && [ "$(layer_count "$(newest_entry)")" -eq 0 ] &&
  [ "$(layer_count "$net")" -eq 20 ]
report $? "Quit with unsaved changes autosaves them at once (0 layers; the file keeps 20)"

# --- Escape leaves the offer for later; SIGTERM quits cleanly.
start_app 600
dialog=$(find_window '^Recover Unsaved Work\?$')
[ -n "$dialog" ] && xdotool windowfocus --sync "$dialog" key Escape && sleep 0.5 &&
  ! xdotool search --onlyvisible --name '^Recover Unsaved Work\?$' >/dev/null 2>&1
escaped=$?
stop_app TERM
[ "$escaped" -eq 0 ] && [ "$status" -eq 0 ] && [ "$(entry_count)" -eq 1 ] &&
  [ "$(layer_count "$(newest_entry)")" -eq 0 ]
report $? "Escape keeps the autosave for the next start, and SIGTERM quits cleanly"

if [ "$failed" -ne 0 ]; then
  sed 's/^/# app: /' "$tmp/app.log" | tail -n 40
fi
exit $failed
