"""Geometry for a sorted horizontal bar chart of instrument scores, with full instrument names.

For more than ``RADAR_MAX`` instruments a radar's spokes crowd together and its labels can only
be codes; this chart lists every instrument on its own row, its full name above its bars, sorted
from the strongest evidenced score down, so a reader sees the order at a glance. Only numbers and
labels come out of here; ``templates/assessments/_bars.svg`` draws them with Django's escaping.
"""

from __future__ import annotations

import math
import textwrap

from assessments.radar import COLOURS, Series

RADAR_MAX = 8  # up to this many instruments, the radar; above, this chart

WIDTH = 520
NAME_SIZE = 10
NAME_LINE = 11
NAME_CHARS = 92  # a line of the name at NAME_SIZE in the drawing's width (DejaVu Sans, estimated)
BAR_LEFT = 6
BAR_SPAN = 440  # 100%; the value sits right of the bar
BAR_HEIGHT = 7
BAR_GAP = 1
ROW_GAP = 4
VALUE_SIZE = 10  # the values and the ticks: at 19 instruments the print scale is about 0.85
TICKS = (0, 25, 50, 75, 100)
TOP = 14  # below the tick labels
# Printed at most this wide and this tall (A4 less the report's margins; the chart has a page of
# its own): a long chart is narrowed to fit one page rather than run into the footer. The rows are
# packed so that nineteen instruments with two-line names still print their text at 8 pt
# (tests/assessments/test_barchart.py).
PRINT_WIDTH_MM, PRINT_HEIGHT_MM = 178, 252
LEGEND_ROW = 14


def use_bars(count: int) -> bool:
    return count > RADAR_MAX


def _sort_key(series: list[Series], index: int):
    ranked = next((s for s in series if s.css == "evidenced"), series[0])
    value = ranked.values[index]
    return (value is None, -(value or 0))


def bars(
    names: list[str], codes: list[str], series: list[Series], *, no_score: str = "—", percent: str = "%(value)d%%"
) -> dict | None:
    """The chart of ``series`` (one value per instrument) over instruments ``names``/``codes``,
    sorted by the evidenced series (else the first), highest first; ``None`` without any.
    ``percent`` formats a value (the report passes the active language's, "62 %" in French)."""
    if not names:
        return None
    order = sorted(range(len(names)), key=lambda i: (*_sort_key(series, i), codes[i]))
    rows, y = [], TOP
    for i in order:
        lines = textwrap.wrap(f"{codes[i]} · {names[i]}", NAME_CHARS, max_lines=2, placeholder=" …") or [codes[i]]
        name_lines = [{"text": line, "y": round(y + NAME_SIZE + n * NAME_LINE, 1)} for n, line in enumerate(lines)]
        top = y + len(lines) * NAME_LINE + 2
        drawn = []
        for n, s in enumerate(series):
            value = s.values[i]
            bar_y = top + n * (BAR_HEIGHT + BAR_GAP)
            length = round(BAR_SPAN * (value or 0) / 100, 1)
            drawn.append(
                {
                    "css": s.css,
                    "colour": COLOURS[s.css],
                    "x": BAR_LEFT,
                    "y": round(bar_y, 1),
                    "width": length,
                    "height": BAR_HEIGHT,
                    "text": no_score if value is None else percent % {"value": int(value + 0.5)},
                    "text_x": round(BAR_LEFT + length + 3, 1),
                    "text_y": round(bar_y + BAR_HEIGHT - 0.5, 1),
                }
            )
        rows.append({"code": codes[i], "names": name_lines, "bars": drawn})
        y = top + len(series) * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
    bottom = y - ROW_GAP + 2
    ticks = [{"value": v, "x": BAR_LEFT + BAR_SPAN * v / 100, "y": TOP - 4, "bottom": bottom} for v in TICKS]
    legend = [
        {
            "name": s.name,
            "css": s.css,
            "colour": COLOURS[s.css],
            "y": round(bottom + 14 + LEGEND_ROW * n, 1),
            "line_y": round(bottom + 10 + LEGEND_ROW * n, 1),
        }
        for n, s in enumerate(series)
    ]
    height = math.ceil(bottom + 14 + LEGEND_ROW * len(series))
    return {
        "kind": "sorted-bars",
        "width": WIDTH,
        "height": height,
        "name_size": NAME_SIZE,
        "value_size": VALUE_SIZE,
        "print_width_mm": round(min(PRINT_WIDTH_MM, PRINT_HEIGHT_MM * WIDTH / height), 1),
        "top": TOP - 2,
        "ticks": ticks,
        "rows": rows,
        "legend": legend,
    }
