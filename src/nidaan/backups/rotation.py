"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months.

A grandfather-father-son scheme over whatever backups exist (a clinic PC is off on
Sundays and holidays, so "the last 7 days" means the last 7 days that have a backup).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable


def to_keep(
    times: Iterable[datetime.datetime], *, daily: int = 7, weekly: int = 4, monthly: int = 12
) -> set[datetime.datetime]:
    newest_first = sorted(set(times), reverse=True)
    keep: set[datetime.datetime] = set()

    def newest_per(period: Callable[[datetime.datetime], Hashable], count: int) -> None:
        seen: list[Hashable] = []
        for moment in newest_first:
            key = period(moment)
            if key in seen:
                continue
            if len(seen) == count:
                return
            seen.append(key)
            keep.add(moment)

    newest_per(lambda t: t.date(), daily)
    newest_per(lambda t: t.isocalendar()[:2], weekly)
    newest_per(lambda t: (t.year, t.month), monthly)
    return keep
