#!/bin/sh
# test-translations.sh: every catalog in po/LINGUAS is complete against the
# sources as they are now: the template is extracted afresh into a temporary
# folder with po/meson.build's options (GLib's preset), each .po is merged
# with it there, and any untranslated or fuzzy message fails, as does
# `msgfmt --check`. Optional arguments: merged data files (desktop entry,
# metainfo) that must carry each language's strings. Changes nothing in the
# source tree. TAP.
set -u
top=${NETSKETCH_SOURCE_ROOT:-$(dirname "$0")/..}

# The data files' paths are relative to where meson runs the test, the build tree.
for data in "$@"; do
  shift
  case $data in
    /*) set -- "$@" "$data" ;;
    *) set -- "$@" "$PWD/$data" ;;
  esac
done
cd "$top" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/netsketch-po-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
status=0
ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}
not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  status=1
}
# The first lines of a message list, as TAP diagnostics.
diagnose () {
  sed -n '1,40s/^/# /p' "$1"
}

languages=$(grep -v '^#' po/LINGUAS | tr -s ' \t' '\n' | grep -v '^$')
n_languages=$(printf '%s\n' "$languages" | grep -c .)
echo "1..$((1 + n_languages * 3 + n_languages * $#))"

# The same keywords and flags as i18n.gettext(preset: 'glib') in po/meson.build.
pot="$tmp/netsketch.pot"
if xgettext --package-name=netsketch --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
     --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
     --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
     --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
     --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
     --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
     --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
     --directory=. --files-from=po/POTFILES.in --output="$pot" 2>"$tmp/xgettext.log"; then
  ok "the template is extracted from po/POTFILES.in ($(($(grep -c '^msgid ' "$pot") - 1)) messages)"
else
  not_ok "xgettext failed"
  diagnose "$tmp/xgettext.log"
  exit 1
fi

for lang in $languages; do
  merged="$tmp/$lang.po"

  if msgfmt --check --output-file=/dev/null "po/$lang.po" 2>"$tmp/check.log"; then
    ok "$lang: msgfmt --check passes"
  else
    not_ok "$lang: msgfmt --check fails"
    diagnose "$tmp/check.log"
  fi

  # As netsketch-update-po would merge it, fuzzy matching included: a
  # changed source string comes back fuzzy, not silently translated.
  msgmerge --quiet --output-file="$merged" "po/$lang.po" "$pot" 2>"$tmp/merge.log" || diagnose "$tmp/merge.log"

  msgattrib --untranslated --no-obsolete --no-wrap "$merged" 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$' >"$tmp/untranslated"
  if [ ! -s "$tmp/untranslated" ]; then
    ok "$lang: no untranslated messages ($(msgfmt --statistics --output-file=/dev/null "$merged" 2>&1))"
  else
    not_ok "$lang: $(wc -l <"$tmp/untranslated") untranslated messages; run netsketch-update-po and translate them"
    diagnose "$tmp/untranslated"
  fi

  msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$' >"$tmp/fuzzy"
  if [ ! -s "$tmp/fuzzy" ]; then
    ok "$lang: no fuzzy messages"
  else
    not_ok "$lang: $(wc -l <"$tmp/fuzzy") fuzzy messages; check and unmark them"
    diagnose "$tmp/fuzzy"
  fi

  # The merged desktop entry's comment and the metainfo's summary are
  # translated (i18n.merge_file found the catalog).
  for data in "$@"; do
    if grep -qE "^Comment\\[$lang\\]=|<summary xml:lang=\"$lang\">" "$data"; then
      ok "$lang: $(basename "$data") is translated"
    else
      not_ok "$lang: $(basename "$data") has no $lang strings"
    fi
  done
done

exit $status
