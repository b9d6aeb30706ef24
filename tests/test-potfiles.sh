#!/bin/sh
# test-potfiles.sh: every file with translatable strings is listed in po/POTFILES.in,
# and every file listed there exists (xgettext stops at a missing one). TAP.
set -u
top=${NETSKETCH_SOURCE_ROOT:-$(dirname "$0")/..}
cd "$top" || exit 1

marked=$(grep -rlE '(_\(|N_\(|translatable="yes")' src ui data | LC_ALL=C sort)
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^[[:space:]]*$' | LC_ALL=C sort)

n=0
status=0
echo "1..2"

missing=""
for f in $marked; do
  printf '%s\n' "$listed" | grep -qxF "$f" || missing="$missing $f"
done
n=$((n + 1))
if [ -z "$missing" ]; then
  echo "ok $n - every file with translatable strings is in po/POTFILES.in"
else
  echo "not ok $n - missing from po/POTFILES.in:$missing"
  status=1
fi

stale=""
for f in $listed; do
  [ -f "$f" ] || stale="$stale $f"
done
n=$((n + 1))
if [ -z "$stale" ]; then
  echo "ok $n - every file in po/POTFILES.in exists"
else
  echo "not ok $n - listed in po/POTFILES.in but not found:$stale"
  status=1
fi

exit $status
