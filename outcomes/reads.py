"""What pages read about outcomes: a pair's indicators year by year, and how many
pairs narrowed, held or widened each gap (from the kept PairGap rows)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery

from outcomes.models import Indicator, IndicatorValue, PairGap
from outcomes.services import base_year, trend_of
from twinning.lib.schoolyear import display_school_year

TRENDS = [PairGap.Trend.NARROWED, PairGap.Trend.HELD, PairGap.Trend.WIDENED, PairGap.Trend.UNKNOWN]


def number(value: Decimal | None, indicator: Indicator) -> str:
    """A value as Vietnamese readers write it: decimal comma, thousands with dots."""
    if value is None:
        return "–"
    places = indicator.decimals
    text = f"{value:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def pair_indicators(pair) -> list[dict]:
    """For a school pair: each indicator either school has a value of, with the years
    where a value exists: mentor's and mentee's value and how far the helped school is
    behind (positive: behind), the base year's gap and the latest trend, and a chart.
    One query."""
    if pair.is_office_partnership:
        return []
    indicators = {}
    values = defaultdict(dict)
    illustrative = set()
    found_values = IndicatorValue.objects.filter(school__in=[pair.mentor_id, pair.mentee_id])
    for v in found_values.select_related("indicator").order_by("indicator__order", "indicator_id"):
        indicators.setdefault(v.indicator_id, v.indicator)
        values[v.indicator_id][(v.school_id, v.school_year)] = v.value
        if v.is_illustrative:
            illustrative.add(v.indicator_id)
    base = base_year(pair)
    result = []
    for pk, indicator in indicators.items():
        found = values.get(pk, {})
        years = sorted({year for (_school, year) in found})
        rows = []
        for year in years:
            mentor, mentee = found.get((pair.mentor_id, year)), found.get((pair.mentee_id, year))
            behind = indicator.behind(mentor, mentee)
            rows.append(
                {
                    "year": year,
                    "year_display": display_school_year(year),
                    "mentor": number(mentor, indicator),
                    "mentee": number(mentee, indicator),
                    "mentor_value": mentor,
                    "mentee_value": mentee,
                    "behind": behind,
                    "gap": number(abs(behind), indicator) if behind is not None else "–",
                    "ahead": behind is not None and behind < 0,
                    "is_base": year == base,
                }
            )
        known = [r for r in rows if r["behind"] is not None]
        base_row = next((r for r in known if r["is_base"]), None)
        latest = known[-1] if known else None
        trend = None
        if base_row and latest and latest["year"] > base_row["year"]:
            trend = trend_of(indicator, base_row["behind"], latest["behind"])
        result.append(
            {
                "indicator": indicator,
                "rows": rows,
                "trend": trend,
                "trend_label": PairGap.Trend(trend).label if trend else "",
                "base_year": display_school_year(base) if base else "",
                "chart": line_chart(rows),
                "illustrative": pk in illustrative,
            }
        )
    return result


WIDTH, HEIGHT = 320, 165


def line_chart(rows) -> dict | None:
    """Two lines (helping and helped school) over the years; None with fewer than two
    years. The geometry only; templates/outcomes/_chart.html draws it."""
    points = [r for r in rows if r["mentor_value"] is not None or r["mentee_value"] is not None]
    if len(points) < 2:
        return None
    numbers = [float(v) for r in points for v in (r["mentor_value"], r["mentee_value"]) if v is not None]
    low, high = min(numbers), max(numbers)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    left, right, top, bottom = 8, 8, 16, 36
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    step = plot_w / (len(points) - 1)

    def y(value):
        return round(top + plot_h - plot_h * (float(value) - low) / (high - low), 1)

    lines = {"mentor": [], "mentee": []}
    labels = []
    for i, r in enumerate(points):
        x = round(left + i * step, 1)
        labels.append({"x": x, "text": r["year"][2:4] + "–" + r["year"][7:9]})
        for side in lines:
            if r[f"{side}_value"] is not None:
                lines[side].append({"x": x, "y": y(r[f"{side}_value"]), "text": r[side]})
    # Each line's first and last values written next to their points, the higher
    # line's above it and the lower one's below.
    values = []
    for side in lines:
        for point in (lines[side][:1] + lines[side][-1:]) if len(lines[side]) > 1 else lines[side]:
            other = [p["y"] for s2 in lines if s2 != side for p in lines[s2] if p["x"] == point["x"]]
            above = not other or point["y"] <= other[0]
            values.append(
                {
                    "x": point["x"],
                    "y": round(point["y"] - 6 if above else point["y"] + 13, 1),
                    "text": point["text"],
                    "anchor": "start" if point["x"] == left else "end",
                }
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "label_y": HEIGHT - 6,
        "labels": labels,
        "mentor": lines["mentor"],
        "mentee": lines["mentee"],
        "values": values,
        "mentor_points": " ".join(f"{p['x']},{p['y']}" for p in lines["mentor"]),
        "mentee_points": " ".join(f"{p['x']},{p['y']}" for p in lines["mentee"]),
    }


def latest_gaps(pairs, year: str):
    """The PairGap of each pair of ``pairs`` and indicator in its latest year up to
    ``year``: a query set."""
    latest = (
        PairGap.objects.filter(pair=OuterRef("pair"), indicator=OuterRef("indicator"), school_year__lte=year)
        .order_by("-school_year")
        .values("school_year")[:1]
    )
    return PairGap.objects.filter(pair__in=pairs.values("pk"), school_year=Subquery(latest))


def trend_counts(pairs, year: str, indicators=None) -> list[dict]:
    """For each indicator with kept gaps among ``pairs`` (a query set of pairs): how
    many pairs narrowed, held or widened the gap between the year before they began
    and their latest year up to ``year`` (and how many lack the base year). One
    query for the counts, one for the indicators."""
    rows = latest_gaps(pairs, year)
    if indicators is not None:
        rows = rows.filter(indicator__in=indicators)
    counts = defaultdict(lambda: dict.fromkeys(TRENDS, 0))
    illustrative = set()
    for r in rows.order_by().values("indicator_id", "trend", "is_illustrative").annotate(n=Count("pk")):
        counts[r["indicator_id"]][r["trend"]] += r["n"]
        if r["is_illustrative"]:
            illustrative.add(r["indicator_id"])
    found = Indicator.objects.filter(pk__in=list(counts)).select_related("owner").order_by("owner__name", "order")
    return [
        {
            "indicator": indicator,
            "narrowed": counts[indicator.pk][PairGap.Trend.NARROWED],
            "held": counts[indicator.pk][PairGap.Trend.HELD],
            "widened": counts[indicator.pk][PairGap.Trend.WIDENED],
            "unknown": counts[indicator.pk][PairGap.Trend.UNKNOWN],
            "measured": sum(counts[indicator.pk][t] for t in TRENDS[:3]),
            "illustrative": indicator.pk in illustrative,
        }
        for indicator in found
    ]
