"""Fill Hindi translations into the catalogue from a {msgid: msgstr} table, then compile.

    python tools/fill_translations.py TABLE.py

TABLE.py defines `T = {msgid: msgstr}` (and `P = {msgid: (singular, plural)}` for plurals).
Entries already translated are left alone unless fuzzy; the fuzzy flag is cleared for
the entries filled. Prints what is still missing.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "src/nidaan/locale/hi/LC_MESSAGES"


def main() -> None:
    table = runpy.run_path(sys.argv[1])
    singles: dict[str, str] = table.get("T", {})
    plurals: dict[str, tuple[str, str]] = table.get("P", {})
    po_path = CATALOGUE / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        empty = not message.string or (
            isinstance(message.string, tuple) and not all(message.string)
        )
        if not (empty or message.fuzzy):
            continue
        if isinstance(message.id, tuple) and key in plurals:
            message.string = plurals[key]
        elif not isinstance(message.id, tuple) and key in singles:
            message.string = singles[key]
        else:
            missing.append(key)
            continue
        message.flags.discard("fuzzy")
        message.previous_id = []
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True)
    with (CATALOGUE / "django.mo").open("wb") as handle:
        write_mo(handle, catalog)
    for key in missing:
        print(f"missing: {key!r}")  # noqa: T201 - a developer tool


if __name__ == "__main__":
    main()
