from django.urls import reverse

from assessments.models import Answer
from assessments.selectors import assessment_record


def section_of(assessment, theme):
    """The section ``theme`` of the assessment's record, with its items."""
    return assessment_record(assessment=assessment, section=theme).section(theme)


def section_url(assessment, theme):
    return reverse("section", args=[assessment.code, theme])


def form_data(assessment, theme, **answers):
    """POST data for a section as the page would send it: every item with its current values
    and version, overridden by ``answers`` (item code -> dict of field values)."""
    data = {}
    for item in section_of(assessment, theme).items:
        code, answer = item.code, item.answer
        data[f"{code}-choice"] = answer.choice if answer else ""
        data[f"{code}-justification"] = answer.justification if answer else ""
        data[f"{code}-evidence_urls"] = "\n".join(answer.evidence_urls) if answer else ""
        data[f"{code}-version"] = answer.version if answer else 0
        valid_until = answer.evidence_valid_until if answer else None
        data[f"{code}-evidence_valid_until"] = valid_until.isoformat() if valid_until else ""
        for field, value in answers.get(code, {}).items():
            data[f"{code}-{field}"] = value
    return data


def answers_of(assessment):
    return {
        a.item.code: (a.choice, a.justification, tuple(a.evidence_urls), a.version)
        for a in Answer.objects.filter(assessment=assessment).select_related("item")
    }


def items_in(assessment, theme):
    return [i.code for i in section_of(assessment, theme).items]
