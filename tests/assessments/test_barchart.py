"""The sorted bar chart used above eight instruments: every instrument by full name, strongest
evidenced score first, whole percentages, and a size that fits one printed page."""

from django.template.loader import render_to_string

from assessments.barchart import PRINT_HEIGHT_MM, RADAR_MAX, bars, use_bars
from assessments.radar import Series


def chart(count):
    names = [
        f"Instrument number {n} with a rather long official title that needs a second line to print" * 2
        for n in range(count)
    ]
    codes = [f"I{n:02d}" for n in range(count)]
    declared = [50 + (n * 7) % 40 for n in range(count)]
    evidenced = [None if n == 3 else 30 + (n * 11) % 50 for n in range(count)]
    return bars(names, codes, [Series("Declared", declared, "declared"), Series("Evidenced", evidenced, "evidenced")])


def test_radar_up_to_eight_then_bars():
    assert not use_bars(RADAR_MAX) and use_bars(RADAR_MAX + 1)


def test_sorted_by_evidenced_with_full_names_and_no_score_last():
    drawn = chart(19)
    values = [row["bars"][1]["text"] for row in drawn["rows"]]
    numbers = [int(v.rstrip("%")) for v in values if v != "—"]
    assert numbers == sorted(numbers, reverse=True)
    assert values[-1] == "—" and drawn["rows"][-1]["code"] == "I03"
    first = drawn["rows"][0]["names"]
    assert len(first) == 2 and first[0]["text"].startswith(drawn["rows"][0]["code"] + " · Instrument number")
    assert all("%" in v or v == "—" for v in values) and not any("." in v for v in values)


def test_fits_one_printed_page_and_renders():
    drawn = chart(19)
    assert drawn["print_width_mm"] * drawn["height"] / drawn["width"] <= PRINT_HEIGHT_MM + 0.1
    svg = render_to_string("assessments/_bars.svg", {"chart": drawn, "labelledby": ""})
    assert svg.count("<rect") == 19 * 2 and "I00 · Instrument number 0" in svg


def test_no_instrument_no_chart():
    assert bars([], [], []) is None


def test_its_text_prints_at_8_pt_or_more_with_nineteen_instruments():
    """The chart is scaled to fit a page: its smallest text, the values and ticks, still prints
    at 8 pt or more (the report's minimum) for the whole library, names on two lines each."""
    drawn = chart(19)
    points_per_unit = drawn["print_width_mm"] / drawn["width"] * 72 / 25.4
    assert min(drawn["name_size"], drawn["value_size"]) * points_per_unit >= 8
