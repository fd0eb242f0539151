#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates po/escalade.pot (sources and seed) and merges it into every language.
# Use this rather than meson's escalade-update-po, which does not know the seed strings.
# Usage: po/update-po.sh [SOURCE_DIR]
set -euo pipefail
top=$(cd "${1:-$(dirname "$0")/..}" && pwd)
"$top/po/make-pot.sh" "$top" "$top/po/escalade.pot"
for lang in $(cat "$top/po/LINGUAS"); do
  msgmerge --quiet --update --backup=none "$top/po/$lang.po" "$top/po/escalade.pot"
done
