"""Fill Hindi translations into the catalogue from a {msgid: msgstr} table, then compile.

    python tools/fill_translations.py [--regenerate] TABLE.py [TABLE.py ...]

With --regenerate, `makemessages` first refreshes the catalogue from the sources. The
catalogue is locked while it is read and written, so several people (or helpers) can
run this at once without losing each other's translations.

TABLE.py defines `T = {msgid: msgstr}` (and `P = {msgid: (singular, plural)}` for plurals).
Entries already translated are left alone unless fuzzy; the fuzzy flag is cleared for
the entries filled. Prints what is still missing.
"""

from __future__ import annotations

import fcntl
import os
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src/nidaan"
CATALOGUE = PACKAGE / "locale/hi/LC_MESSAGES"


def _regenerate() -> None:
    data_dir = os.environ.get("NIDAAN_DATA_DIR") or tempfile.mkdtemp(prefix="nidaan-i18n-")
    env = {**os.environ, "NIDAAN_DATA_DIR": data_dir}
    subprocess.run(  # noqa: S603 - our own command line
        [
            str(Path(sys.executable).parent / "nidaan"),
            "makemessages",
            "-l",
            "hi",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=PACKAGE,
        env=env,
        check=True,
        capture_output=True,
    )


def main() -> None:
    args = sys.argv[1:]
    regenerate = "--regenerate" in args
    singles: dict[str, str] = {}
    plurals: dict[str, tuple[str, str]] = {}
    for path in (a for a in args if a != "--regenerate"):
        table = runpy.run_path(path)
        singles.update(table.get("T", {}))
        plurals.update(table.get("P", {}))
    with (CATALOGUE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if regenerate:
            _regenerate()
        _fill(singles, plurals)


def _fill(singles: dict[str, str], plurals: dict[str, tuple[str, str]]) -> None:
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
