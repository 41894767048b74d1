"""Geometry for the radar chart of instrument scores, drawn as inline SVG by a template.

Only numbers and labels come out of here; ``templates/assessments/_radar.svg`` draws them, with
Django's escaping, so the same drawing serves the results page and the PDF report.
"""

import math
from dataclasses import dataclass

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 140
RINGS = (25, 50, 75, 100)


@dataclass
class Series:
    name: str
    values: list  # one per axis, 0–100, or None when there is no score
    css: str  # class name, styled by the template


def _point(index, count, value):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * (value or 0) / 100
    return round(CENTRE + r * math.cos(angle), 1), round(CENTRE + r * math.sin(angle), 1)


def radar(axes, series):
    """``axes``: labels, one per instrument; ``series``: Series with one value per axis."""
    count = len(axes)
    if count == 0:
        return None
    rings = [
        {
            "value": ring,
            "points": " ".join(f"{x},{y}" for x, y in (_point(i, count, ring) for i in range(count))),
            "label_x": CENTRE + 4,
            "label_y": round(CENTRE - RADIUS * ring / 100 + 11, 1),
        }
        for ring in RINGS
    ]
    axis_lines = []
    for i, label in enumerate(axes):
        x, y = _point(i, count, 100)
        lx, ly = _point(i, count, 118)
        anchor = "middle" if abs(lx - CENTRE) < 8 else ("start" if lx > CENTRE else "end")
        axis_lines.append({"x": x, "y": y, "label": label, "lx": lx, "ly": ly + 4, "anchor": anchor})
    drawn = []
    for s in series:
        points = [_point(i, count, v) for i, v in enumerate(s.values)]
        drawn.append(
            {
                "name": s.name,
                "css": s.css,
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": [
                    {"x": x, "y": y, "value": v} for (x, y), v in zip(points, s.values, strict=True) if v is not None
                ],
                "legend_y": 16 + 16 * len(drawn),
            }
        )
    return {"size": SIZE, "centre": CENTRE, "rings": rings, "axes": axis_lines, "series": drawn}
