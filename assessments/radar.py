"""Geometry for the chart of instrument scores, drawn as inline SVG by a template.

Only numbers and labels come out of here; ``templates/assessments/_radar.svg`` draws them, with
Django's escaping, so the same drawing serves the results page and the PDF report.

The form follows the number of instruments. A radar needs three axes to enclose an area: with
one or two it collapses into a dot or a line, so below three the scores are drawn as horizontal
bars, one group per instrument. Either way the legend sits below the plot, in its own band of
the drawing, so that it can never cover an axis label; ``Box`` and the ``boxes`` a chart returns
let the tests check that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 420
RADAR_MIN_AXES = 3

# Radar
CENTRE = WIDTH / 2
RADIUS = 140
LABEL_RADIUS = 118  # per cent of the radius, where the axis labels sit
RINGS = (25, 50, 75, 100)
RING_LABEL_INSET = 6  # ring values sit this far inside their ring

# Bars
BAR_LEFT = 60  # the instrument codes sit left of this
BAR_SPAN = 300  # 100%; the value labels sit right of the bar, inside the drawing
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
BARS_TOP = 22  # below the tick labels

# Text sizes, in drawing units, and the legend's rows.
LABEL_SIZE = 13
TICK_SIZE = 9
LEGEND_SIZE = 11
LEGEND_ROW = 16
LEGEND_GAP = 14  # between the plot's lowest label and the legend
LEGEND_CHARS = 48  # longer series names are cut, so that a row fits the drawing's width
# Average advance of a character, as a share of the font size; generous, so that an estimated
# box contains the drawn text (Latin capitals and digits in a bold sans-serif).
CHAR_WIDTH = 0.7

# Colours with at least 3:1 contrast against white (WCAG non-text contrast).
COLOURS = {"declared": "#0d6efd", "evidenced": "#198754", "compared": "#ca6510"}


@dataclass
class Series:
    name: str
    values: list  # one per axis, 0–100, or None when there is no score
    css: str  # "declared", "evidenced" or "compared"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in drawing units, for testing that text does not collide."""

    x: float
    y: float
    width: float
    height: float

    def intersects(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def inside(self, width: float, height: float) -> bool:
        return self.x >= 0 and self.y >= 0 and self.x + self.width <= width and self.y + self.height <= height


def text_box(x: float, baseline: float, text: str, size: float, anchor: str = "start") -> Box:
    """The box a line of text occupies: its estimated width, from the cap height to the descent."""
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, baseline - size, width, size * 1.25)


def radar(axes: list[str], series: list[Series]) -> dict | None:
    """The chart of ``series`` (one value per axis) over ``axes`` (labels, one per instrument):
    a radar from three axes, horizontal bars below. None without any axis."""
    if not axes:
        return None
    plot = _radar(axes, series) if len(axes) >= RADAR_MIN_AXES else _bars(axes, series)
    boxes = [*plot["boxes"]["labels"], plot["boxes"]["plot"]]
    legend_top = max(box.y + box.height for box in boxes) + LEGEND_GAP
    legend = []
    for n, s in enumerate(series):
        baseline = round(legend_top + LEGEND_SIZE + LEGEND_ROW * n, 1)
        name = s.name if len(s.name) <= LEGEND_CHARS else s.name[: LEGEND_CHARS - 1] + "…"
        legend.append({"name": name, "css": s.css, "colour": COLOURS[s.css], "y": baseline, "line_y": baseline - 4})
    height = math.ceil(legend_top + LEGEND_ROW * len(series) + 4)
    legend_box = Box(0, legend_top, WIDTH, height - legend_top)
    return {
        **plot,
        "width": WIDTH,
        "height": height,
        "legend": legend,
        "boxes": {**plot["boxes"], "legend": legend_box},
    }


def _radar(axes, series):
    count = len(axes)

    def point(index, value):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = RADIUS * (value or 0) / 100
        return round(CENTRE + r * math.cos(angle), 1), round(CENTRE + r * math.sin(angle), 1)

    # Ring values sit halfway between the first two spokes, just inside their ring, on a white
    # patch drawn over the series: on the first spoke, the spoke and the series' lines (scores
    # are mostly 50 to 75) ran through the 50 and the 75.
    half = -math.pi / 2 + math.pi / count
    rings = []
    for ring in RINGS:
        r = RADIUS * ring / 100 - RING_LABEL_INSET
        x, y = round(CENTRE + r * math.cos(half), 1), round(CENTRE + r * math.sin(half) + TICK_SIZE * 0.35, 1)
        rings.append(
            {
                "value": ring,
                "points": " ".join(f"{px},{py}" for px, py in (point(i, ring) for i in range(count))),
                "label_x": x,
                "label_y": y,
                "patch": {
                    "x": round(x - len(str(ring)) * TICK_SIZE * 0.33 - 1.5, 1),
                    "y": round(y - TICK_SIZE * 0.8, 1),
                    "width": round(len(str(ring)) * TICK_SIZE * 0.66 + 3, 1),
                    "height": round(TICK_SIZE * 1.05, 1),
                },
            }
        )
    axis_lines, labels = [], []
    for i, label in enumerate(axes):
        x, y = point(i, 100)
        lx, ly = point(i, LABEL_RADIUS)
        anchor = "middle" if abs(lx - CENTRE) < 8 else ("start" if lx > CENTRE else "end")
        # Labels above the centre sit on their point; those below hang from it.
        baseline = round(ly + 4 if ly <= CENTRE else ly + LABEL_SIZE * 0.75, 1)
        axis_lines.append({"x": x, "y": y, "label": label, "lx": lx, "ly": baseline, "anchor": anchor})
        labels.append(text_box(lx, baseline, label, LABEL_SIZE, anchor))
    drawn = []
    for s in series:
        points = [point(i, v) for i, v in enumerate(s.values)]
        drawn.append(
            {
                "name": s.name,
                "css": s.css,
                "colour": COLOURS[s.css],
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": [
                    {"x": x, "y": y, "value": v} for (x, y), v in zip(points, s.values, strict=True) if v is not None
                ],
            }
        )
    return {
        "kind": "radar",
        "centre": CENTRE,
        "rings": rings,
        "axes": axis_lines,
        "series": drawn,
        "boxes": {"labels": labels, "plot": Box(CENTRE - RADIUS, CENTRE - RADIUS, 2 * RADIUS, 2 * RADIUS)},
    }


def _bars(axes, series):
    groups, labels = [], []
    group_height = len(series) * BAR_HEIGHT + (len(series) - 1) * BAR_GAP
    y = BARS_TOP
    for i, label in enumerate(axes):
        bars = []
        for n, s in enumerate(series):
            value = s.values[i]
            top = y + n * (BAR_HEIGHT + BAR_GAP)
            length = round(BAR_SPAN * (value or 0) / 100, 1)
            text = "no score" if value is None else f"{value:.1f}%"
            text_x = BAR_LEFT + length + 4
            bars.append(
                {
                    "css": s.css,
                    "colour": COLOURS[s.css],
                    "name": s.name,
                    "x": BAR_LEFT,
                    "y": top,
                    "width": length,
                    "value": value,
                    "text": text,
                    "text_x": text_x,
                    "text_y": top + BAR_HEIGHT - 4,
                }
            )
            labels.append(text_box(text_x, top + BAR_HEIGHT - 4, text, LEGEND_SIZE))
        baseline = round(y + group_height / 2 + LABEL_SIZE * 0.35, 1)
        groups.append({"label": label, "label_x": BAR_LEFT - 8, "label_y": baseline, "bars": bars})
        labels.append(text_box(BAR_LEFT - 8, baseline, label, LABEL_SIZE, "end"))
        y += group_height + GROUP_GAP
    bottom = y - GROUP_GAP + 4
    ticks = [{"value": v, "x": BAR_LEFT + BAR_SPAN * v / 100, "y": BARS_TOP - 8, "bottom": bottom} for v in (0, *RINGS)]
    labels += [text_box(t["x"], t["y"], str(t["value"]), TICK_SIZE, "middle") for t in ticks]
    return {
        "kind": "bars",
        "top": BARS_TOP - 4,
        "ticks": ticks,
        "groups": groups,
        "boxes": {"labels": labels, "plot": Box(0, 0, WIDTH, bottom)},
    }
