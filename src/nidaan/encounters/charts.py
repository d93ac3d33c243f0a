"""Trend charts of the history screen, drawn on the server as inline SVG.

No chart library and no JavaScript: a chart is a handful of numbers (ticks, points, a
shaded abnormal band) that the template `encounters/_chart.html` turns into SVG, so it
prints, works offline and needs nothing from a CDN. Time runs left to right in
proportion; values are labelled on the y axis and every point carries its date and
value as a tooltip.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from nidaan.encounters import vitals as vital_ranges
from nidaan.encounters.history import VitalsReading

WIDTH = 420
HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 30  # margins around the plot, for the axis labels

Value = Decimal | int | float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "12-03-2024: 150 mmHg", the tooltip
    abnormal: bool


@dataclass(frozen=True)
class Series:
    key: str  # css class and data attribute: systolic, diastolic, weight, …
    name: str
    points: list[Point]
    joined: bool  # drawn as a line, or as points only (sugar of different tests)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Band:
    """A shaded range of abnormal values, or (height 0) a dashed reference line."""

    y: float
    height: float
    label: str
    label_y: float


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str
    latest: str  # the last value in words, beside the title
    series: list[Series]
    bands: list[Band]
    lines: list[Band]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.series)

    def svg(self) -> SafeString:
        """The chart as inline SVG. Built here rather than in a template: a 200-visit
        history draws hundreds of points, and this keeps the page within its budget."""
        left, right, top, bottom = self.left, self.right, self.top, self.bottom
        out = [
            f'<svg class="trend" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-label="{escape(self.title)}{": " + escape(self.latest) if self.latest else ""}">'
        ]
        for band in self.bands:
            out.append(
                f'<rect class="band" x="{left}" y="{band.y:.1f}" width="{right - left}" '
                f'height="{band.height:.1f}"/><text class="band-label" x="{right - 4}" '
                f'y="{band.label_y:.1f}" text-anchor="end">{escape(band.label)}</text>'
            )
        for tick in self.y_ticks:
            out.append(
                f'<line class="grid" x1="{left}" x2="{right}" y1="{tick.at:.1f}" '
                f'y2="{tick.at:.1f}"/><text class="y-label" x="{left - 6}" y="{tick.at:.1f}" '
                f'dy="4" text-anchor="end">{escape(tick.label)}</text>'
            )
        for line in self.lines:
            out.append(
                f'<line class="reference" x1="{left}" x2="{right}" y1="{line.y:.1f}" '
                f'y2="{line.y:.1f}"/><text class="band-label" x="{right - 4}" '
                f'y="{line.label_y:.1f}" text-anchor="end">{escape(line.label)}</text>'
            )
        out.append(
            f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
            f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        )
        for tick in self.x_ticks:
            # A date label near an edge is anchored to it, so it is not cut off.
            anchor = "middle"
            if tick.at > right - 40:
                anchor = "end"
            elif tick.at < left + 40:
                anchor = "start"
            out.append(
                f'<line class="axis" x1="{tick.at:.1f}" x2="{tick.at:.1f}" y1="{bottom}" '
                f'y2="{bottom + 5}"/><text class="x-label" x="{tick.at:.1f}" y="{bottom + 18}" '
                f'text-anchor="{anchor}">{escape(tick.label)}</text>'
            )
        for series in self.series:
            if series.joined and len(series.points) > 1:
                out.append(f'<polyline class="line {series.key}" points="{series.polyline}"/>')
            name = escape(series.name)
            for point in series.points:
                abnormal = " abnormal" if point.abnormal else ""
                out.append(
                    f'<circle class="point {series.key}{abnormal}" data-series="{series.key}" '
                    f'cx="{point.x:.1f}" cy="{point.y:.1f}" r="4"><title>{name} · '
                    f"{escape(point.label)}</title></circle>"
                )
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - every text in it is escaped above


@dataclass(frozen=True)
class Measurement:
    at: datetime.datetime
    value: Value
    abnormal: bool = False


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _date(at: datetime.datetime, with_time: bool = False) -> str:
    return timezone.localtime(at).strftime("%H:%M" if with_time else "%d-%m-%Y")


def build(
    *,
    key: str,
    title: str,
    unit: str,
    series: Sequence[tuple[str, str, Sequence[Measurement], bool]],
    floor: float | None = None,
    ceiling: float | None = None,
    bands: Sequence[tuple[float | None, float | None, str]] = (),
    lines: Sequence[tuple[float, str]] = (),
    latest: str = "",
) -> Chart | None:
    """Scale `series` [(key, name, measurements, joined)] into one chart; None if empty.

    `floor`/`ceiling` keep the normal range in view even when every value is normal;
    `bands` [(low, high, label)] are shaded (None: to the edge of the plot).
    """
    measured = [m for _key, _name, ms, _joined in series for m in ms]
    if not measured:
        return None
    values = [float(m.value) for m in measured]
    low = min([*values, *([floor] if floor is not None else [])])
    high = max([*values, *([ceiling] if ceiling is not None else [])])
    if high - low < 1:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    times = [m.at.timestamp() for m in measured]
    first, last = min(times), max(times)
    inset = 12  # keep the first and last points off the axes

    def x_of(at: datetime.datetime) -> float:
        if last == first:
            return (left + right) / 2
        return left + inset + (at.timestamp() - first) / (last - first) * (right - left - 2 * inset)

    y_ticks = []
    value = low
    while value <= high + step / 1000:
        y_ticks.append(Tick(y_of(value), _number(value)))
        value += step
    # Dates at even steps of time (not of readings), so the axis reads like a calendar.
    x_ticks = []
    if last == first:
        x_ticks.append(Tick(x_of(measured[0].at), _date(measured[0].at)))
    else:
        zone = measured[0].at.tzinfo
        # Readings of a single day are told apart by the hour, not by one repeated date.
        same_day = _date(measured[0].at) == _date(measured[-1].at)
        for i in range(4):
            at = datetime.datetime.fromtimestamp(first + i * (last - first) / 3, tz=zone)
            x_ticks.append(Tick(x_of(at), _date(at, with_time=same_day)))

    shaded = []
    for band_low, band_high, label in bands:
        y_high = y_of(min(band_high, high) if band_high is not None else high)
        y_low = y_of(max(band_low, low) if band_low is not None else low)
        if y_low - y_high > 0:
            shaded.append(Band(y_high, y_low - y_high, label, y_high + 11))
    references = [Band(y_of(at), 0, label, y_of(at) - 3) for at, label in lines if low < at < high]

    drawn = []
    for series_key, name, measurements, joined in series:
        ordered = sorted(measurements, key=lambda m: m.at.timestamp())
        points = [
            Point(
                x_of(m.at),
                y_of(float(m.value)),
                f"{_date(m.at)}: {_number(float(m.value))} {unit}",
                m.abnormal,
            )
            for m in ordered
        ]
        drawn.append(Series(series_key, name, points, joined))
    return Chart(
        key=key,
        title=title,
        unit=unit,
        latest=latest,
        series=drawn,
        bands=shaded,
        lines=references,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )


def _upper_normal(field: str) -> float:
    normal = vital_ranges.LIMITS[field].normal
    if normal is None:
        raise ValueError(f"{field} has no adult normal range")
    return float(normal[1])


def bp_chart(readings: Sequence[VitalsReading]) -> Chart | None:
    with_bp = [r for r in readings if r.bp]
    systolic = [
        Measurement(r.taken_at, r.record.bp_systolic or 0, "bp_systolic" in r.flags)
        for r in with_bp
    ]
    diastolic = [
        Measurement(r.taken_at, r.record.bp_diastolic or 0, "bp_diastolic" in r.flags)
        for r in with_bp
    ]
    high_systolic = _upper_normal("bp_systolic") + 1  # 140: hypertension (JNC/ISH)
    high_diastolic = _upper_normal("bp_diastolic") + 1  # 90
    latest = with_bp[-1].bp if with_bp else ""
    return build(
        key="bp",
        title=_("Blood pressure"),
        unit="mmHg",
        series=[
            ("systolic", _("Systolic"), systolic, True),
            ("diastolic", _("Diastolic"), diastolic, True),
        ],
        floor=60,
        ceiling=160,
        bands=[(high_systolic, None, _("high (≥ %(value)s)") % {"value": _number(high_systolic)})],
        lines=[(high_diastolic, _number(high_diastolic))],
        latest=latest,
    )


def _single(
    readings: Sequence[VitalsReading], field: str, key: str, title: str, unit: str
) -> Chart | None:
    measurements = [
        Measurement(r.taken_at, getattr(r.record, field))
        for r in readings
        if getattr(r.record, field) is not None
    ]
    if not measurements:
        return None
    last = measurements[-1]
    return build(
        key=key,
        title=title,
        unit=unit,
        series=[(key, title, measurements, True)],
        latest=f"{_number(float(last.value))} {unit}",
    )


def weight_chart(readings: Sequence[VitalsReading]) -> Chart | None:
    return _single(readings, "weight_kg", "weight", _("Weight"), "kg")


def height_chart(readings: Sequence[VitalsReading]) -> Chart | None:
    return _single(readings, "height_cm", "height", _("Height"), "cm")


def head_chart(readings: Sequence[VitalsReading]) -> Chart | None:
    return _single(readings, "head_circumference_cm", "head", _("Head circumference"), "cm")


def sugar_chart(readings: Sequence[VitalsReading]) -> Chart | None:
    fasting: list[Measurement] = []
    other: list[Measurement] = []
    for r in readings:
        if r.record.blood_sugar is None:
            continue
        m = Measurement(r.taken_at, r.record.blood_sugar, "blood_sugar" in r.flags)
        (fasting if r.record.blood_sugar_test == "fasting" else other).append(m)
    every = sorted([*fasting, *other], key=lambda m: m.at.timestamp())
    if not every:
        return None
    fasting_high = float(vital_ranges.SUGAR_NORMAL["fasting"][1]) + 1  # 126: ADA/ICMR
    random_high = float(vital_ranges.SUGAR_NORMAL["random"][1]) + 1  # 200
    low = float(vital_ranges.SUGAR_NORMAL["random"][0])  # 70: hypoglycaemia
    return build(
        key="sugar",
        title=_("Blood sugar"),
        unit="mg/dL",
        series=[
            ("fasting", _("Fasting"), fasting, True),
            ("random", _("Random / after a meal"), other, False),
        ],
        floor=60,
        ceiling=220,
        bands=[
            (random_high, None, _("high (≥ %(value)s)") % {"value": _number(random_high)}),
            (None, low, _("low (< %(value)s)") % {"value": _number(low)}),
        ],
        lines=[(fasting_high, _("fasting %(value)s") % {"value": _number(fasting_high)})],
        latest=f"{every[-1].value} mg/dL",
    )


def history_charts(readings: Sequence[VitalsReading], *, is_child: bool) -> list[Chart]:
    """The charts of the history screen, the ones with data only."""
    if is_child:
        candidates = [
            weight_chart(readings),
            height_chart(readings),
            head_chart(readings),
            bp_chart(readings),
            sugar_chart(readings),
        ]
    else:
        candidates = [bp_chart(readings), weight_chart(readings), sugar_chart(readings)]
    return [chart for chart in candidates if chart is not None]
