"""Server-rendered SVG charts: geometry computed here, drawn by templates/reports/_chart_*.html.

The SVGs need no JavaScript, scale with their box (a fixed ``viewBox``; the CSS caps
their width so the text stays readable from 360 px phones to laptops) and are hidden
from screen readers, which read the table printed next to each chart instead.
"""

import math

WIDTH = 320


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ (or 4 for small values) at least ``value``: the
    top of the value axis."""
    if value <= 4:
        return max(value, 1) if value <= 2 else 4
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def month_chart(months):
    """Stacked columns per month (confirmed at the bottom, reported on top), or None
    when the year has no activity. ``months``: dicts with month, confirmed, reported."""
    top = max((m["confirmed"] + m["reported"] for m in months), default=0)
    if not top:
        return None
    height, left, right, upper, lower = 170, 26, 4, 14, 20
    plot_w, plot_h = WIDTH - left - right, height - upper - lower
    ceiling = nice_ceiling(top)
    slot = plot_w / len(months)
    bar = min(18, slot * 0.7)
    bars = []
    for i, m in enumerate(months):
        x = left + i * slot + (slot - bar) / 2
        confirmed_h = plot_h * m["confirmed"] / ceiling
        reported_h = plot_h * m["reported"] / ceiling
        base = upper + plot_h
        total = m["confirmed"] + m["reported"]
        bars.append(
            {
                "x": round(x, 1),
                "w": round(bar, 1),
                "cx": round(x + bar / 2, 1),
                "confirmed_y": round(base - confirmed_h, 1),
                "confirmed_h": round(confirmed_h, 1),
                "reported_y": round(base - confirmed_h - reported_h, 1),
                "reported_h": round(reported_h, 1),
                "value_y": round(base - confirmed_h - reported_h - 3, 1),
                "total": total,
                "label": m["month"].month,
                "month": m["month"],
            }
        )
    ticks = []
    for value in sorted({0, ceiling // 2, ceiling}):
        if ceiling % 2 and 0 < value < ceiling:
            continue  # no half of an odd top
        ticks.append({"value": value, "y": round(upper + plot_h - plot_h * value / ceiling, 1)})
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "tick_x": left - 4,
        "right": WIDTH - right,
        "base": upper + plot_h,
        "label_y": height - 6,
        "bars": bars,
        "ticks": ticks,
    }


def bar_chart(rows, parts, label_key="label", value_text=None):
    """Horizontal bars, one per row, each made of ``parts`` (keys of the row, drawn
    left to right) with the row's label above the bar and its value after it. None
    when every value is 0. ``value_text(row)`` gives the printed value (default: the
    sum of the parts)."""
    totals = [sum(row[p] for p in parts) for row in rows]
    top = max(totals, default=0)
    if not top:
        return None
    row_h, label_h, bar_h, value_w = 34, 14, 12, 92
    area = WIDTH - value_w
    items = []
    for i, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = i * row_h
        x = 0.0
        segments = []
        for part in parts:
            w = area * row[part] / top
            segments.append({"part": part, "x": round(x, 1), "w": round(w, 1)})
            x += w
        items.append(
            {
                "label": row[label_key],
                "label_y": y + label_h - 3,
                "bar_y": y + label_h + 1,
                "segments": segments,
                "value": value_text(row) if value_text else total,
                "value_x": round(x + 4, 1),
                "value_y": y + label_h + bar_h - 1,
            }
        )
    return {"width": WIDTH, "height": len(rows) * row_h, "bar_h": bar_h, "items": items}
