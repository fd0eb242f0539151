#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the template of every translatable message: the sources listed in POTFILES.in
# (as meson's i18n preset "glib" extracts them) and the seeded defaults (context "seed").
# Usage: po/make-pot.sh SOURCE_DIR OUTPUT.pot
set -euo pipefail
top=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
xgettext --package-name=escalade --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --files-from=po/POTFILES.in -o "$tmp/sources.pot"
python3 po/seed-pot.py "$top" > "$tmp/seed.pot"
# xgettext writes nothing when the sources have no message yet
if [ -f "$tmp/sources.pot" ]; then
  msgcat --use-first "$tmp/sources.pot" "$tmp/seed.pot" -o "$out"
else
  msgcat "$tmp/seed.pot" -o "$out"
fi
