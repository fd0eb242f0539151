#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that po/fr.po translates every message of the sources and the seed, with nothing
# fuzzy or untranslated. Usage: po/check-po.sh SOURCE_DIR
set -euo pipefail
top=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/po/make-pot.sh" "$top" "$tmp/all.pot"

msgfmt -c --check-format -o /dev/null "$top/po/fr.po"
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$top/po/fr.po" 2>&1)
echo "fr.po: $stats"
case "$stats" in
  *fuzzy*|*untranslated*) echo "po/fr.po has fuzzy or untranslated messages" >&2; exit 1 ;;
esac
msgcmp "$top/po/fr.po" "$tmp/all.pot"
echo "po/fr.po translates all $(grep -c '^msgid ' "$tmp/all.pot") messages"
