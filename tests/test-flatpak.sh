#!/bin/sh
# test-flatpak.sh: the Flatpak manifest parses (flatpak-builder --show-manifest),
# asks only for the sandbox holes Netsketch needs, pins every downloaded source
# by sha256, and the project configures and builds with exactly the meson
# options the manifest passes (no Flathub here, so the real build cannot run). TAP.
set -u
top=${NETSKETCH_SOURCE_ROOT:-$(dirname "$0")/..}
manifest=$top/flatpak/io.github.netsketch.Netsketch.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "1..4"
status=0
ok () { echo "ok $1 - $2"; }
not_ok () { echo "not ok $1 - $2"; status=1; }

if flatpak-builder --show-manifest "$manifest" >"$work/manifest.json" 2>"$work/err"; then
  ok 1 "flatpak-builder --show-manifest reads the manifest"
else
  not_ok 1 "flatpak-builder --show-manifest: $(cat "$work/err")"
fi

# Reads the expanded manifest; prints one finding per line.
query () {
  python3 - "$work/manifest.json" "$1" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
what = sys.argv[2]
mods = m.get("modules", [])
if what == "finish-args":
    print(" ".join(sorted(m.get("finish-args", []))))
elif what == "unpinned":
    for mod in mods:
        for src in mod.get("sources", []):
            if "url" in src and not src.get("sha256"):
                print(mod["name"], src["url"])
elif what == "config-opts":
    app = [mod for mod in mods if mod["name"] == "netsketch"][0]
    print("\n".join(app.get("config-opts", [])))
PY
}

expected="--device=dri --share=ipc --socket=fallback-x11 --socket=wayland"
finish=$(query finish-args)
if [ "$finish" = "$expected" ]; then
  ok 2 "finish-args are exactly: $expected"
else
  not_ok 2 "finish-args are '$finish', expected '$expected' (files go through portals)"
fi

unpinned=$(query unpinned)
if [ -z "$unpinned" ] && grep -q '"name" : "openblas"' "$work/manifest.json"; then
  ok 3 "OpenBLAS is a module and every downloaded source has a sha256"
else
  not_ok 3 "sources without sha256 or no openblas module: $unpinned"
fi

# The manifest's own options, one per line, as meson gets them.
query config-opts >"$work/opts"
set --
while IFS= read -r opt; do set -- "$@" "$opt"; done <"$work/opts"
if meson setup "$work/build" "$top" --prefix=/app "$@" >"$work/log" 2>&1 &&
   meson compile -C "$work/build" >>"$work/log" 2>&1; then
  ok 4 "configures and builds with the manifest's options: $*"
else
  tail -n 20 "$work/log" | sed 's/^/# /'
  not_ok 4 "the build with the manifest's options ($*) failed"
fi

exit $status
