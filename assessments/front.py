"""The report's front section in plain words: a conclusion, the overall evidenced alignment, the
key risks and the gap between declared and evidenced, written from the figures.

Pure functions of ``Results`` (no database, no template), so the sentences can be tested for
every awkward case: ties, instruments with too few answers to rank, every instrument in the same
band, and nothing to say at all. Percentages are whole numbers, as printed; ties and ranks are
decided on the whole numbers a reader sees, so the text never calls one of two equal figures the
stronger. Instruments whose coverage is insufficient are never named strongest or weakest.

Every sentence is whole, with named placeholders, and counts go through ``ngettext``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext, ngettext

from assessments import findings as findings_module
from assessments.finding_labels import severity_label
from assessments.labels import band_label

KEY_RISKS_MIN, KEY_RISKS_MAX = 3, 5
# A declared-evidenced difference below this many points is reported as agreement.
EVIDENCE_GAP_POINTS = 5


def pct(value: float | None) -> int | None:
    """A score as the whole percentage printed (half up, as a reader would round)."""
    return None if value is None else int(value + 0.5)


def instrument_title(instrument) -> str:
    """The instrument's title in the active language where the record can give it."""
    local = getattr(instrument, "local", None)
    return getattr(local, "title", None) or instrument.title_en


def item_name(item) -> str:
    """``code title`` when the item has a short title, else ``code`` and its question."""
    local = getattr(item, "local", None)
    title = (getattr(local, "title", None) if local is not None else None) or getattr(item, "title", "")
    if title:
        return f"{item.code} {title}"
    question = (getattr(local, "question", None) if local is not None else None) or item.question
    return gettext("%(code)s (“%(question)s”)") % {"code": item.code, "question": question}


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C", in the active language."""
    names = list(names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": gettext(", ").join(names[:-1]), "last": names[-1]}


def join_sentences(sentences) -> str:
    """Sentences as one paragraph: a space between them, none in Chinese, where a full stop (。)
    ends a sentence without one."""
    separator = "" if (get_language() or "").startswith("zh") else " "
    return separator.join(s for s in sentences if s)


# --- the overall figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Overall:
    """The alignment over every covered instrument at once: every answered, applicable link of
    every instrument counted once (the instrument scores' formula over the union of their links)."""

    declared: float | None
    evidenced: float | None
    instruments: int

    @property
    def declared_pct(self):
        return pct(self.declared)

    @property
    def evidenced_pct(self):
        return pct(self.evidenced)


def overall(results) -> Overall:
    answered = declared = evidenced = 0.0
    for row in results.instrument_rows:
        s = row.score
        if s.score is None:
            continue
        weight = s.weight * (s.coverage or 0)  # the answered applicable weight
        answered += weight
        declared += weight * s.score
        evidenced += weight * s.evidenced
    if not answered:
        return Overall(None, None, len(results.instrument_rows))
    return Overall(declared / answered, evidenced / answered, len(results.instrument_rows))


def _rankable(results):
    """Instruments with a score and enough answers to be compared."""
    return [r for r in results.instrument_rows if r.score.evidenced is not None and not r.score.insufficient]


def _flagged(results):
    return [r for r in results.instrument_rows if r.score.insufficient]


# --- the conclusion ---------------------------------------------------------------------------


def conclusion(results, found=None) -> list[str]:
    """The conclusion as a short paragraph (a list of sentences, printed together)."""
    found = results.findings if found is None else found
    rows = results.instrument_rows
    total = overall(results)
    if total.evidenced is None:
        return [
            ngettext(
                "No conclusion can be drawn yet: none of the applicable items of the %(count)d instrument "
                "assessed has been answered.",
                "No conclusion can be drawn yet: none of the applicable items of the %(count)d instruments "
                "assessed has been answered.",
                len(rows),
            )
            % {"count": len(rows)}
        ]
    sentences = [
        ngettext(
            "Taken together, the answers show an evidenced alignment of %(evidenced)d%% with the %(count)d "
            "instrument assessed, against %(declared)d%% as declared.",
            "Taken together, the answers show an evidenced alignment of %(evidenced)d%% with the %(count)d "
            "instruments assessed, against %(declared)d%% as declared.",
            len(rows),
        )
        % {"evidenced": total.evidenced_pct, "declared": total.declared_pct, "count": len(rows)}
    ]
    sentences.extend(_ranking(results))
    sentences.extend(_coverage(results))
    sentences.append(_findings_sentence(found))
    return sentences


def _ranking(results) -> list[str]:
    rankable = _rankable(results)
    if not rankable:
        return []
    if len(rankable) == 1:
        row = rankable[0]
        return [
            gettext("The evidenced alignment with %(title)s is %(score)d%%.")
            % {"title": instrument_title(row.instrument), "score": pct(row.score.evidenced)}
        ]
    scores = {id(r): pct(r.score.evidenced) for r in rankable}
    high, low = max(scores.values()), min(scores.values())
    # The band printed beside each instrument (of its declared score).
    bands = {r.score.band for r in rankable}
    if high == low:
        return [
            ngettext(
                "All %(count)d instrument that can be compared stands at the same evidenced alignment, %(score)d%%.",
                "All %(count)d instruments that can be compared stand at the same evidenced alignment, %(score)d%%.",
                len(rankable),
            )
            % {"count": len(rankable), "score": high}
        ]
    best = [r for r in rankable if scores[id(r)] == high]
    worst = [r for r in rankable if scores[id(r)] == low]
    sentences = []
    if len(bands) == 1:
        sentences.append(
            ngettext(
                "The %(count)d instrument that can be compared falls in the band %(band)s; its evidenced alignment "
                "ranges from %(low)d%% to %(high)d%%.",
                "All %(count)d instruments that can be compared fall in the same band, %(band)s, so the bands do "
                "not tell them apart; the percentages do: their evidenced alignment ranges from %(low)d%% to "
                "%(high)d%%.",
                len(rankable),
            )
            % {"count": len(rankable), "band": band_label(bands.pop()), "low": low, "high": high}
        )
    sentences.append(_extreme(best, high, strongest=True))
    sentences.append(_extreme(worst, low, strongest=False))
    return sentences


def _extreme(rows, score, *, strongest) -> str:
    titles = join_names([instrument_title(r.instrument) for r in rows])
    values = {"titles": titles, "score": score, "count": len(rows)}
    if strongest:
        if len(rows) == 1:
            return gettext("It is strongest with %(titles)s, at %(score)d%%.") % values
        return (
            ngettext(
                "%(count)d instrument shares the strongest alignment, at %(score)d%%: %(titles)s.",
                "%(count)d instruments share the strongest alignment, at %(score)d%%: %(titles)s.",
                len(rows),
            )
            % values
        )
    if len(rows) == 1:
        return gettext("It is weakest with %(titles)s, at %(score)d%%.") % values
    return (
        ngettext(
            "%(count)d instrument shares the weakest alignment, at %(score)d%%: %(titles)s.",
            "%(count)d instruments share the weakest alignment, at %(score)d%%: %(titles)s.",
            len(rows),
        )
        % values
    )


def _coverage(results) -> list[str]:
    flagged = _flagged(results)
    if not flagged:
        return []
    return [
        ngettext(
            "%(titles)s is not ranked: fewer than 60%% of its applicable items are answered, too few for its score "
            "to mean much.",
            "%(count)d instruments are not ranked, since fewer than 60%% of their applicable items are answered, "
            "too few for their scores to mean much: %(titles)s.",
            len(flagged),
        )
        % {"count": len(flagged), "titles": join_names([instrument_title(r.instrument) for r in flagged])}
    ]


def _findings_sentence(found) -> str:
    counts = findings_module.count_by_severity(found)
    if not found:
        return gettext("No gap was found: every applicable item is answered Yes with evidence, or Not applicable.")
    if counts["high"]:
        return ngettext(
            "%(count)d gap is rated high severity and should be dealt with first; %(total)d gaps are listed in all.",
            "%(count)d gaps are rated high severity and should be dealt with first; %(total)d gaps are listed in all.",
            counts["high"],
        ) % {"count": counts["high"], "total": len(found)}
    return ngettext(
        "No gap is rated high severity; %(total)d gap is listed, of medium or low severity.",
        "No gap is rated high severity; %(total)d gaps are listed, of medium or low severity.",
        len(found),
    ) % {"total": len(found)}


# --- key risks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    finding: findings_module.Finding
    name: str  # "code title" (or code and question)
    severity: str  # in words
    why: str


def key_risks(results, found=None) -> list[Risk]:
    """The three to five most important gaps: every high one up to five, topped up to three with
    the most severe of the rest. Nothing when there is no gap."""
    found = results.findings if found is None else found
    high = [f for f in found if f.severity == findings_module.HIGH]
    chosen = high[:KEY_RISKS_MAX]
    if len(chosen) < KEY_RISKS_MIN:
        chosen = found[:KEY_RISKS_MIN]
    covered = len(results.instrument_rows)
    return [Risk(f, item_name(f.item), severity_label(f.severity), why(f, covered)) for f in chosen]


def why(finding, covered: int) -> str:
    """Why a gap matters, in one or two sentences: what the answer means, and how far it reaches."""
    answer = {
        findings_module.NO: gettext("The practice is not in place."),
        findings_module.PARTIAL: gettext("The practice is only partly in place."),
        findings_module.UNANSWERED: gettext("The question is not answered, so no one has said whether it is in place."),
        findings_module.UNEVIDENCED: gettext(
            "The practice is declared in place, but no evidence is listed, so the evidenced score counts it as "
            "Partially."
        ),
    }[finding.kind]
    values = {"count": len(finding.instruments), "covered": covered}
    if finding.core:
        reach = ngettext(
            "It serves %(count)d of the %(covered)d instruments assessed, as a core practice, and lowers its score.",
            "It serves %(count)d of the %(covered)d instruments assessed, as a core practice of at least one, and "
            "lowers each of their scores.",
            values["count"],
        )
    else:
        reach = ngettext(
            "It supports %(count)d of the %(covered)d instruments assessed.",
            "It supports %(count)d of the %(covered)d instruments assessed.",
            values["count"],
        )
    return join_sentences([answer, reach % values])


# --- declared against evidenced ---------------------------------------------------------------


def evidence_gap(results) -> str:
    """The gap between declared and evidenced alignment, as its own finding."""
    total = overall(results)
    if total.evidenced is None:
        return gettext("With no answers yet, nothing can be said about the evidence behind them.")
    unevidenced = [f for f in results.findings if f.kind == findings_module.UNEVIDENCED]
    if not unevidenced:
        return gettext(
            "Every Yes lists its evidence, so the declared and evidenced alignment agree, at %(score)d%%."
        ) % {"score": total.evidenced_pct}
    drops = [
        (pct(r.score.score) - pct(r.score.evidenced), r)
        for r in results.instrument_rows
        if r.score.evidenced is not None
    ]
    points, row = max(drops, key=lambda d: d[0])
    values = {
        "count": len(unevidenced),
        "declared": total.declared_pct,
        "evidenced": total.evidenced_pct,
        "title": instrument_title(row.instrument),
        "from": pct(row.score.score),
        "to": pct(row.score.evidenced),
    }
    sentence = (
        ngettext(
            "%(count)d answer of Yes lists no evidence. Counted as Partially, it takes the overall alignment from "
            "%(declared)d%% declared to %(evidenced)d%% evidenced.",
            "%(count)d answers of Yes list no evidence. Counted as Partially, they take the overall alignment from "
            "%(declared)d%% declared to %(evidenced)d%% evidenced.",
            len(unevidenced),
        )
        % values
    )
    if points >= EVIDENCE_GAP_POINTS:
        sentence = join_sentences(
            [sentence, gettext("The largest drop is for %(title)s, from %(from)d%% to %(to)d%%.") % values]
        )
    return sentence


# --- limitations ------------------------------------------------------------------------------


def limitations(results) -> list[str]:
    """What a reader must keep in mind: how the answers were made, and what they leave out."""
    sentences = [
        gettext(
            "This is a self-assessment: the answers are the organisation's own, and the evidence they list was "
            "named, not inspected, by anyone preparing this report."
        ),
        gettext(
            "An alignment score measures how far the practices described match the instruments' principles; it is "
            "not a certification of compliance with any law."
        ),
    ]
    progress = results.record.progress
    if progress.answered < progress.total:
        unanswered = progress.total - progress.answered
        sentences.append(
            ngettext(
                "%(count)d checklist item of %(total)d is unanswered; it is left out of the scores and counted "
                "against coverage.",
                "%(count)d checklist items of %(total)d are unanswered; they are left out of the scores and counted "
                "against coverage.",
                unanswered,
            )
            % {"count": unanswered, "total": progress.total}
        )
    return sentences
