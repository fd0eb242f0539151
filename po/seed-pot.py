#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints a .pot of the translatable strings of the seeded defaults (data/seed/*.json).

They are translated at seed time with the context "seed" (g_dpgettext2), so they cannot
collide with the same words in the interface. Identifiers and enum values are not text.
"""
import json
import os
import sys

NOT_TEXT = {"id", "destination", "letter", "version", "raci", "reach", "tiers"}


def strings(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NOT_TEXT:
                continue
            strings(value, out)
    elif isinstance(node, list):
        for value in node:
            strings(value, out)
    elif isinstance(node, str) and node.strip():
        out.append(node)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    seen = {}
    order = []
    for name in ("roles", "routing", "severities"):
        rel = f"data/seed/{name}.json"
        with open(os.path.join(top, rel), encoding="utf-8") as f:
            found = []
            strings(json.load(f), found)
        for text in found:
            if text not in seen:
                seen[text] = []
                order.append(text)
            if rel not in seen[text]:
                seen[text].append(rel)

    print('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for text in order:
        print(f"#: {' '.join(seen[text])}")
        print('msgctxt "seed"')
        print(f"msgid {quote(text)}")
        print('msgstr ""\n')


if __name__ == "__main__":
    main()
