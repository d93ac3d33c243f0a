"""The Hindi catalogue is complete, compiled, and used.

The first test regenerates the catalogue from a copy of the sources exactly as
`make messages` would, so a string added to a template or to Python code without a Hindi
translation fails the suite (`make messages`, translate, commit the .po and the .mo).
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nidaan"
LC_MESSAGES = PACKAGE / "locale" / "hi" / "LC_MESSAGES"
DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def _read(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, locale="hi")


def _msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _is_translated(message: Message, num_plurals: int) -> bool:
    if isinstance(message.string, str):
        return bool(message.string.strip())
    forms = tuple(message.string or ())
    return len(forms) == num_plurals and all(form.strip() for form in forms)


def _regenerate_in_copy(tmp_path: Path) -> Path:
    """Run makemessages on a copy of the package; the checkout is never written to."""
    for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib"):
        assert shutil.which(tool), f"{tool} not found: install gettext (make system-deps)"
    copy = tmp_path / "src" / "nidaan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    regenerated = copy / "locale" / "hi" / "LC_MESSAGES" / "django.po"
    before = regenerated.stat().st_mtime_ns
    committed = (LC_MESSAGES / "django.po").read_bytes()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nidaan.settings.test",
        "NIDAAN_DATA_DIR": str(data_dir),
        # Import `nidaan` from the copy, so LOCALE_PATHS is the copy's locale/ too.
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(copy.parent), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "hi",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    assert regenerated.stat().st_mtime_ns != before, "makemessages did not write into the copy"
    assert (LC_MESSAGES / "django.po").read_bytes() == committed, "the checkout was written to"
    return regenerated


def test_every_user_facing_string_has_a_hindi_translation(tmp_path: Path) -> None:
    catalog = _read(_regenerate_in_copy(tmp_path))
    assert not catalog.fuzzy, "the .po header is marked fuzzy: msgfmt would drop it"
    messages = [m for m in catalog if m.id]
    assert messages, "makemessages found no strings at all"
    problems = [
        f"untranslated: {_msgid(m)!r}"
        for m in messages
        if not _is_translated(m, catalog.num_plurals)
    ] + [
        f"fuzzy (check the translation, remove the flag): {_msgid(m)!r}"
        for m in messages
        if m.fuzzy
    ]
    assert not problems, (
        "Strings without a Hindi translation (run `make messages`, translate them in "
        "src/nidaan/locale/hi/LC_MESSAGES/django.po, then `make messages` again to compile):"
        + "".join(f"\n  {problem}" for problem in problems)
    )


def test_committed_mo_matches_committed_po() -> None:
    catalog = _read(LC_MESSAGES / "django.po")
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    info = compiled.info()
    assert info.get("language") == "hi"
    assert "utf-8" in info.get("content-type", "").lower()
    stale = []
    for message in catalog:
        if not message.id or message.fuzzy or not _is_translated(message, catalog.num_plurals):
            continue
        context = message.context
        if isinstance(message.id, str):
            assert isinstance(message.string, str)
            if context:
                got = compiled.pgettext(context, message.id)
            else:
                got = compiled.gettext(message.id)
            if got != message.string:
                stale.append(message.id)
            continue
        singular, plural = message.id[0], message.id[1]
        for index, form in enumerate(message.string or ()):
            n = next(n for n in range(1000) if compiled.plural(n) == index)  # type: ignore[attr-defined]
            if context:
                got = compiled.npgettext(context, singular, plural, n)
            else:
                got = compiled.ngettext(singular, plural, n)
            if got != form:
                stale.append(f"{singular} [{index}]")
    assert not stale, "django.mo is out of date with django.po (run `make messages`):" + "".join(
        f"\n  {msgid!r}" for msgid in stale
    )


def test_hindi_is_used_when_the_language_is_hindi() -> None:
    with translation.override("hi"):
        search = translation.gettext("Search patients")
        new_patient = translation.gettext("New patient")
    assert DEVANAGARI.search(search), search
    assert search == "मरीज़ खोजें"
    assert new_patient == "नया मरीज़"
    with translation.override("en"):
        assert translation.gettext("Search patients") == "Search patients"
