"""The fonts every printed page uses, so a PDF looks the same on every machine.

Noto Sans Devanagari and Noto Sans (both SIL Open Font Licence 1.1) come from the PyPI
packages `fontpkg-noto-sans-devanagari` and `fontpkg-noto-sans`, pinned in pyproject.toml.
They ship as variable fonts; fpdf2 embeds static fonts, so the regular and bold instances
are made once with fontTools and kept in `<NIDAAN_DATA_DIR>/cache/fonts/` under a name
that carries the package version (an upgrade makes new files, never reuses stale ones).

Two files are kept per instance:
* the whole font, which HarfBuzz shapes with (it needs the GSUB/GPOS layout tables that
  form conjuncts, place matras and the reph);
* the same font without layout tables, which fpdf2 reads metrics from and subsets for
  embedding. fpdf2 drops those tables from the embedded subset anyway, but decompiling
  them for every document costs about two thirds of a page's render time.
Glyph order is identical in both, so glyph ids HarfBuzz returns are valid in either.
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import fontpkg_noto_sans
import fontpkg_noto_sans_devanagari

# Family names as registered with fpdf2 (`Document.set_font(family=...)`).
DEVANAGARI = "NotoSansDevanagari"
LATIN = "NotoSans"
# Noto Sans Devanagari also draws Latin letters, digits and ₹ in the Noto Sans design, so
# it is the main family; Noto Sans fills in what it lacks (±, µ, ½, ² …).
MAIN_FAMILY = DEVANAGARI
FALLBACK_FAMILIES = (LATIN,)

WEIGHTS = {"": 400, "B": 700}

# Bump when the way instances are made changes, so caches are rebuilt.
_CACHE_FORMAT = 2
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH")
# What we keep of Noto Sans (it is large): Latin, Latin-1, Latin Extended-A/B, general
# punctuation, super/subscripts, currency, letterlike symbols, number forms, arrows,
# maths operators, geometric shapes.
_LATIN_UNICODES = [
    *range(0x20, 0x250),
    *range(0x2000, 0x20C1),
    *range(0x2100, 0x2200),
    *range(0x2200, 0x2300),
    *range(0x25A0, 0x2600),
]


@dataclass(frozen=True)
class FontSource:
    family: str
    variable_font: Path
    licence: Path
    version: str
    subset_unicodes: tuple[int, ...] | None = None


@dataclass(frozen=True)
class FontInstance:
    """One static weight of a family: `shaping_file` for HarfBuzz, `metrics_file` for fpdf2."""

    family: str
    style: str
    shaping_file: Path
    metrics_file: Path


def sources() -> tuple[FontSource, ...]:
    dev_root = Path(fontpkg_noto_sans_devanagari.ROOT)
    lat_root = Path(fontpkg_noto_sans.ROOT)
    return (
        FontSource(
            family=DEVANAGARI,
            variable_font=dev_root / "files" / "NotoSansDevanagari[wdth,wght].ttf",
            licence=dev_root / "LICENSE",
            version=_package_version("fontpkg-noto-sans-devanagari"),
        ),
        FontSource(
            family=LATIN,
            variable_font=lat_root / "files" / "NotoSans[wdth,wght].ttf",
            licence=lat_root / "LICENSE",
            version=_package_version("fontpkg-noto-sans"),
            subset_unicodes=tuple(_LATIN_UNICODES),
        ),
    )


def licence_texts() -> dict[str, str]:
    """Each family's licence (SIL OFL 1.1), as shipped with it: printed in docs and `--help`."""
    return {source.family: source.licence.read_text(encoding="utf-8") for source in sources()}


def cache_dir() -> Path:
    from django.conf import settings

    base = getattr(settings, "DATA_DIR", None) if settings.configured else None
    root = Path(base) if base else Path(tempfile.gettempdir()) / "nidaan"
    return root / "cache" / "fonts"


@functools.cache
def instances() -> tuple[FontInstance, ...]:
    """The static fonts, made on first use in this data directory (about a second)."""
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    made: list[FontInstance] = []
    for source in sources():
        for style, weight in WEIGHTS.items():
            stem = f"{source.family}-{weight}-v{source.version}-f{_CACHE_FORMAT}"
            shaping = directory / f"{stem}.ttf"
            metrics = directory / f"{stem}-metrics.ttf"
            if not (shaping.exists() and metrics.exists()):
                _make_instance(source, weight, shaping, metrics)
            made.append(FontInstance(source.family, style, shaping, metrics))
    return tuple(made)


def _make_instance(source: FontSource, weight: int, shaping: Path, metrics: Path) -> None:
    from fontTools import subset, ttLib
    from fontTools.varLib import instancer

    font = ttLib.TTFont(source.variable_font, recalcTimestamp=False)
    if source.subset_unicodes is not None:
        # Subset before instancing: instancing all of Noto Sans takes seconds.
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=source.subset_unicodes)
        subsetter.subset(font)
    instancer.instantiateVariableFont(
        font, {"wght": weight, "wdth": 100}, inplace=True, static=True
    )
    _save_atomically(font, shaping)
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    _save_atomically(font, metrics)


def _save_atomically(font: object, path: Path) -> None:
    # Several processes (server, worker, tests) may make the same file at once.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)  # type: ignore[attr-defined]
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _package_version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)
