# cli-tap.sh: what the netsketch-cli shell tests share: a scratch folder,
# English messages, `run` to call the CLI and `report` to print TAP.
# Sourced by test-cli.sh and test-export-cli.sh; needs NETSKETCH_CLI and
# NETSKETCH_SOURCE_ROOT (meson sets both).

cli=${NETSKETCH_CLI:?NETSKETCH_CLI is not set}
root=${NETSKETCH_SOURCE_ROOT:?NETSKETCH_SOURCE_ROOT is not set}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# Messages are checked in English.
LC_ALL=C.UTF-8
LANGUAGE=
export LC_ALL LANGUAGE

n=0
failed=0
status=0

report () {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    failed=1
    # Show what the command said, as TAP diagnostics.
    sed 's/^/# stdout: /' "$tmp/out" | head -n 20
    sed 's/^/# stderr: /' "$tmp/err" | head -n 20
    echo "# exit status: $status"
  fi
}

# Runs netsketch-cli, keeping stdout, stderr and the exit status.
run () {
  "$cli" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
}
