"""Turn an assessment's dataset into everything the results page, exports and report show.

Pure functions of plain data: no database access and no templates, so the page, the JSON
export and the PDF report are all built from the same figures.
"""

from dataclasses import dataclass

from assessments import scoring

CHOICE_LABELS = {"yes": "Yes", "partial": "Partially", "no": "No", "na": "Not applicable", "": "Unanswered"}


def scoring_inputs(dataset):
    instruments = {p["code"]: p["instrument"] for p in dataset["principles"]}
    items = [
        scoring.Item(
            code=i["code"],
            weight=i["weight"],
            theme=i["theme"],
            links=tuple(scoring.Link(l["principle"], instruments[l["principle"]], l["relevance"]) for l in i["links"]),
        )
        for i in dataset["items"]
    ]
    answers = {
        code: scoring.Answer(a["choice"], bool(a["evidence_urls"] or a["files"]))
        for code, a in dataset["answers"].items()
    }
    return items, answers


@dataclass
class Results:
    dataset: dict
    scores: scoring.Scores
    gaps: list
    instrument_rows: list
    theme_rows: list


def compute(dataset) -> Results:
    items, answers = scoring_inputs(dataset)
    codes = [i["code"] for i in dataset["instruments"]]
    scores = scoring.score(items, answers, instruments=codes)
    item_by_code = {i["code"]: i for i in dataset["items"]}

    instrument_rows = [{"instrument": i, "score": scores.instruments[i["code"]]} for i in dataset["instruments"]]
    themes = {}
    for item in dataset["items"]:
        themes.setdefault(item["theme"], item["theme_name"])
    theme_rows = [
        {"code": code, "name": themes[code], "score": scores.themes[code]}
        for code in sorted(themes)
        if code in scores.themes
    ]

    gap_rows = []
    for gap in scoring.gaps(items, answers, instruments=codes):
        item = item_by_code[gap["item"]]
        gap_rows.append(
            {
                **gap,
                "question": item["question"],
                "recommendation": item["recommendation"],
                "weight": item["weight"],
                "choice_label": CHOICE_LABELS[gap["choice"]],
            }
        )
    return Results(dataset, scores, gap_rows, instrument_rows, theme_rows)


def instrument_drilldown(results: Results, code):
    """One instrument's principles, each with its score, quoted text and the items serving it
    with their answers. Returns None when the assessment does not cover ``code``."""
    dataset = results.dataset
    instrument = next((i for i in dataset["instruments"] if i["code"] == code), None)
    if instrument is None:
        return None
    principles = [p for p in dataset["principles"] if p["instrument"] == code]
    wanted = {p["code"] for p in principles}
    items_of_principle = {}
    for item in dataset["items"]:
        for link in item["links"]:
            if link["principle"] in wanted:
                items_of_principle.setdefault(link["principle"], []).append((item, link["relevance"]))
    answers = dataset["answers"]
    # An item serving several principles of this instrument is shown in full under the first,
    # and named under the others, so a long report does not repeat the same answer.
    first_shown = {}
    blocks = []
    for p in principles:
        entries = []
        for item, relevance in items_of_principle.get(p["code"], []):
            entries.append(
                {
                    "item": item,
                    "relevance": relevance,
                    "answer": _answer(answers.get(item["code"])),
                    "shown_under": first_shown.get(item["code"]),
                }
            )
            first_shown.setdefault(item["code"], p["code"])
        blocks.append({"principle": p, "score": results.scores.principles.get(p["code"]), "items": entries})
    return {"instrument": instrument, "score": results.scores.instruments[code], "principles": blocks}


def _answer(answer):
    if answer is None:
        return {"choice": "", "label": CHOICE_LABELS[""], "justification": "", "evidence_urls": [], "files": []}
    return {**answer, "label": CHOICE_LABELS[answer["choice"]]}


def comparison(results: Results, other: Results):
    """Per-instrument deltas (this − other), for instruments both assessments cover."""
    theirs = {row["instrument"]["code"]: row["score"] for row in other.instrument_rows}
    deltas = {}
    for row in results.instrument_rows:
        code, mine = row["instrument"]["code"], row["score"]
        if code in theirs and mine.score is not None and theirs[code].score is not None:
            deltas[code] = round(mine.score - theirs[code].score, 1)
    return deltas


def summary_sentences(results: Results, limit_gaps=3):
    """Three to five plain sentences from the figures: strongest, weakest, largest gaps."""
    scored = [r for r in results.instrument_rows if r["score"].score is not None]
    sentences = []
    if not scored:
        return ["No instrument can be scored yet: no applicable item has been answered."]
    best = max(scored, key=lambda r: r["score"].score)
    worst = min(scored, key=lambda r: r["score"].score)
    sentences.append(
        f"The strongest alignment is with {best['instrument']['title_en']} "
        f"({best['score'].score:.1f}%, {best['score'].band})."
    )
    if worst is not best:
        sentences.append(
            f"The weakest is {worst['instrument']['title_en']} ({worst['score'].score:.1f}%, {worst['score'].band})."
        )
    flagged = [r["instrument"]["code"] for r in results.instrument_rows if r["score"].insufficient]
    if flagged:
        sentences.append(
            f"Fewer than 60% of the applicable items are answered for {', '.join(flagged)}, so "
            "those scores rest on too few answers."
        )
    gaps = results.gaps[:limit_gaps]
    if gaps:
        listed = "; ".join(
            f"{g['item']} ({g['choice_label'].lower()}, {len(g['instruments'])} instruments)" for g in gaps
        )
        sentences.append(f"The largest gaps are {listed}.")
    backed = [r for r in scored if r["score"].evidenced is not None]
    if backed:
        drop = max(backed, key=lambda r: r["score"].score - r["score"].evidenced)
        if drop["score"].score - drop["score"].evidenced >= 5:
            sentences.append(
                f"Evidence backs the least of the declared alignment for {drop['instrument']['code']}: "
                f"{drop['score'].score:.1f}% declared against {drop['score'].evidenced:.1f}% evidenced."
            )
    return sentences[:5]
