"""The chart of instrument scores: its form for one, two and many instruments, and its geometry.

The geometry is checked on the drawn SVG, with each text's box estimated from its position,
anchor and length (``radar.text_box``): the legend must not cover any label, and nothing may
stick out of the drawing. The browser tests measure the same on the rendered page.
"""

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from assessments.radar import Box, Series, radar, text_box

SVG = "{http://www.w3.org/2000/svg}"
CODES = ["SH", "CF", "GA", "HL", "IC", "OE19", "OE24", "G20", "UN", "EG", "NI", "BJ", "CG", "MT", "AS", "SG", "BL"]
CODES += ["HI", "CE"]  # the 19 shipped instruments


def series(count, compared=True):
    drawn = [
        Series("Declared", [60 + n % 40 for n in range(count)], "declared"),
        Series("Evidenced", [None if n == 1 else 40 + n % 30 for n in range(count)], "evidenced"),
    ]
    if compared:
        drawn.append(Series("Compared: " + "A very long assessment title " * 3, [50.0] * count, "compared"))
    return drawn


def drawn(count, compared=True):
    """The rendered SVG of ``count`` instruments: its size and the boxes of its texts, by role."""
    svg = render_to_string(
        "assessments/_radar.svg", {"radar": radar(CODES[:count], series(count, compared)), "labelledby": "caption"}
    )
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    legend, labels = [], []
    for group in root.iter(f"{SVG}g"):
        size = float(group.get("font-size") or 0)
        for text in group.findall(f"{SVG}text"):
            anchor = text.get("text-anchor") or group.get("text-anchor") or "start"
            size_here = float(text.get("font-size") or size)
            box = text_box(float(text.get("x")), float(text.get("y")), text.text, size_here, anchor)
            (legend if group.get("class") == "legend" else labels).append(box)
    return root, width, height, legend, labels


@pytest.mark.parametrize("count", [1, 2, 3, 5, 19])
@pytest.mark.parametrize("compared", [False, True])
def test_the_legend_is_clear_of_every_label_and_nothing_sticks_out(count, compared):
    root, width, height, legend, labels = drawn(count, compared)
    assert len(legend) == (3 if compared else 2)
    assert labels
    for box in legend:
        for label in labels:
            assert not box.intersects(label), (box, label)
    for box in legend + labels:
        assert box.inside(width, height), box


def test_the_legend_used_to_cover_the_top_label():
    """The defect: the legend sat at the top left, where the first axis (SH) has its label."""
    chart = radar(CODES[:5], series(5))
    top_label = chart["boxes"]["labels"][0]
    assert chart["axes"][0]["label"] == "SH"
    assert not chart["boxes"]["legend"].intersects(top_label)
    assert chart["boxes"]["legend"].y >= chart["boxes"]["plot"].y + chart["boxes"]["plot"].height


@pytest.mark.parametrize(("count", "kind"), [(1, "bars"), (2, "bars"), (3, "radar"), (5, "radar"), (19, "radar")])
def test_one_or_two_instruments_are_bars_and_three_or_more_a_radar(count, kind):
    chart = radar(CODES[:count], series(count))
    assert chart["kind"] == kind
    root = ET.fromstring(render_to_string("assessments/_radar.svg", {"radar": chart, "labelledby": ""}))
    if kind == "bars":
        # A bar per instrument and series, long in proportion to the score: not a line or a dot.
        rects = root.findall(f".//{SVG}rect")
        assert len(rects) == count * 3
        widths = sorted(float(r.get("width")) for r in rects)
        assert widths[-1] > 100
        if count > 1:
            assert "no score" in ET.tostring(root, encoding="unicode")  # the second evidenced is None
    else:
        polygons = root.findall(f".//{SVG}polygon")
        assert len(polygons) == 4 + 3  # rings, then the series, each an area
    assert root.get("aria-label") == "Scores per instrument"


def test_a_bar_is_as_long_as_its_score():
    chart = radar(["SH"], [Series("Declared", [50.0], "declared"), Series("Evidenced", [100.0], "evidenced")])
    half, full = chart["groups"][0]["bars"]
    assert full["width"] == 2 * half["width"]
    assert half["text"] == "50.0%"


def test_no_instrument_no_chart():
    assert radar([], []) is None


def test_long_series_names_are_cut_to_fit():
    chart = radar(["SH", "CF", "GA"], series(3))
    name = chart["legend"][2]["name"]
    assert len(name) == 48 and name.endswith("…")


def test_boxes_intersect_only_when_they_overlap():
    a = Box(0, 0, 10, 10)
    assert a.intersects(Box(5, 5, 10, 10))
    assert not a.intersects(Box(10, 0, 5, 5))  # touching edges do not overlap
    assert not a.intersects(Box(0, 11, 10, 10))
    assert a.inside(10, 10) and not Box(-1, 0, 5, 5).inside(10, 10)
