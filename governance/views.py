"""Public library pages: no sign-in needed, read-only, GET only."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from governance import selectors
from governance.models import ChecklistItem, Instrument, Principle


@require_safe
def instrument_list(request):
    return render(
        request,
        "governance/instrument_list.html",
        {"instruments": selectors.instruments_for_listing(), "release": selectors.current_release()},
    )


@require_safe
def instrument_detail(request, code):
    try:
        instrument, principles = selectors.instrument_detail(code)
    except Instrument.DoesNotExist:
        raise Http404("No such instrument.") from None
    return render(
        request,
        "governance/instrument_detail.html",
        {"instrument": instrument, "principles": principles},
    )


@require_safe
def principle_detail(request, code):
    try:
        principle, related = selectors.principle_detail(code)
    except Principle.DoesNotExist:
        raise Http404("No such principle.") from None
    return render(request, "governance/principle_detail.html", {"principle": principle, "related": related})


@require_safe
def item_detail(request, code):
    try:
        item, links = selectors.item_detail(code)
    except ChecklistItem.DoesNotExist:
        raise Http404("No such checklist item.") from None
    return render(request, "governance/item_detail.html", {"item": item, "links": links})


@require_safe
def crosswalk(request):
    instruments, rows = selectors.crosswalk()
    return render(request, "governance/crosswalk.html", {"instruments": instruments, "rows": rows})
