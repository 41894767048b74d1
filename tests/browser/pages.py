"""Every page of the site, with demo-like data, for the browser checks of layout and
accessibility (test_phone_layout.py, test_accessibility.py).

``site()`` builds the data once per test: the demo organisation of ``seed_demo`` (a submitted
assessment and a draft, three people), a second organisation the owner belongs to (so the
dashboard shows the organisation switcher), enough drafts for a second dashboard page,
assessments over one and over every instrument, and an open invitation. ``PAGES`` lists the
pages, each with the user who sees it (None: signed out).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.management import call_command

from assessments.demo import DEMO_PASSWORD, _answer_all, seed_demo
from assessments.models import Assessment, Membership, Organisation, Role
from assessments.services import assessment_create, invitation_create
from assessments.services.assignments import assignment_set
from governance.models import Instrument


@dataclass(frozen=True)
class Site:
    draft: Assessment
    submitted: Assessment  # approved
    in_review: Assessment
    one: Assessment  # one instrument
    everything: Assessment  # every shipped instrument
    invitation: uuid.UUID
    answered_item: str


def site() -> Site:
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    organisation, users = seed_demo()
    owner = Membership.objects.get(user=users["demo"], organisation=organisation)
    other = Organisation.objects.create(name="Northwind Analytics and Decision Science Holdings International")
    Membership.objects.create(user=users["demo"], organisation=other, role=Role.VIEWER)
    draft = Assessment.objects.get(organisation=organisation, status="draft")
    submitted = Assessment.objects.get(organisation=organisation, status="approved")
    in_review = Assessment.objects.get(organisation=organisation, status="in_review")
    # The owner has work assigned too, so that their dashboard shows "Assigned to me".
    assignment_set(
        assessment=draft, membership=owner, assignee=owner, theme="T05", due=None, base_url="http://testserver"
    )
    made = {}
    for title, codes in [
        ("Fraud screening, one instrument", ["SH"]),
        ("Every instrument", list(Instrument.objects.filter(retired=False).values_list("code", flat=True))),
    ]:
        made[title] = assessment_create(
            membership=owner,
            title=title,
            scope="A scope",
            description="",
            instruments=Instrument.objects.filter(code__in=codes),
        )
        _answer_all(made[title], owner, fraction=0.5)
    for n in range(24):  # 28 in all: two dashboard pages
        assessment_create(
            membership=owner,
            title=f"Supplier model review {n:02d}",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
        )
    invitation = invitation_create(
        membership=owner, email="newcomer@example.org", role=Role.EDITOR, base_url="http://testserver"
    )
    answered = draft.answers.select_related("item").first().item.code
    return Site(
        draft,
        submitted,
        in_review,
        made["Fraud screening, one instrument"],
        made["Every instrument"],
        invitation.code,
        answered,
    )


# (name, path or callable(site) -> path, signed in as "demo" or None)
PAGES = [
    ("home", "/", None),
    ("library", "/library/", None),
    ("crosswalk", "/library/crosswalk/", None),
    ("instrument", "/library/instruments/SH/", None),
    ("principle", "/library/principles/SH-6/", None),
    ("item", "/library/items/ACC-01/", None),
    ("sign-in", "/accounts/login/", None),
    ("sign-up", "/accounts/signup/", None),
    ("password-reset", "/accounts/password/reset/", None),
    ("verify", "/verify/", None),
    ("verify-checked", f"/verify/?report={uuid.UUID(int=1)}&hash={'ab' * 32}", None),
    ("invitation", lambda s: f"/invitations/{s.invitation}/", None),
    ("account", "/accounts/security/", "demo"),
    ("account-email", "/accounts/email/", "demo"),
    ("account-password", "/accounts/password/change/", "demo"),
    ("account-mfa", "/accounts/2fa/", "demo"),
    ("account-sessions", "/accounts/sessions/", "demo"),
    ("account-connections", "/accounts/3rdparty/", "demo"),
    ("sign-out", "/accounts/logout/", "demo"),
    ("dashboard", "/dashboard/", "demo"),
    ("dashboard-page-2", "/dashboard/?page=2", "demo"),
    ("members", "/members/", "demo"),
    ("create", "/assessments/new/", "demo"),
    ("import", "/assessments/import/", "demo"),
    ("import-preview", "import-preview", "demo"),  # uploads an export: see visit()
    ("overview", lambda s: f"/assessments/{s.draft.code}/", "demo"),
    ("overview-submitted", lambda s: f"/assessments/{s.submitted.code}/", "demo"),
    ("section", lambda s: f"/assessments/{s.draft.code}/sections/T05/", "demo"),
    ("section-submitted", lambda s: f"/assessments/{s.submitted.code}/sections/T05/", "demo"),
    ("results-compared", lambda s: f"/assessments/{s.draft.code}/results/?compare={s.submitted.code}", "demo"),
    ("results-one", lambda s: f"/assessments/{s.one.code}/results/", "demo"),
    ("results-everything", lambda s: f"/assessments/{s.everything.code}/results/?page=2", "demo"),
    ("drilldown", lambda s: f"/assessments/{s.draft.code}/results/SH/", "demo"),
    ("history", lambda s: f"/assessments/{s.draft.code}/items/{s.answered_item}/history/", "demo"),
    ("upgrade", lambda s: f"/assessments/{s.draft.code}/upgrade/", "demo"),
    ("review-in-review", lambda s: f"/assessments/{s.in_review.code}/review/", "demo"),
    ("review-approved", lambda s: f"/assessments/{s.submitted.code}/review/", "demo"),
    ("section-in-review", lambda s: f"/assessments/{s.in_review.code}/sections/T04/", "demo"),
    ("assignments", lambda s: f"/assessments/{s.draft.code}/assignments/", "demo"),
    ("action-plan", lambda s: f"/assessments/{s.draft.code}/actions/", "demo"),
    ("action-plan-approved", lambda s: f"/assessments/{s.submitted.code}/actions/", "demo"),
    ("organisation-log", "/log/", "demo"),
    ("send-for-review", lambda s: f"/assessments/{s.draft.code}/send-for-review/", "demo"),
]


def sign_in(page, base, username="demo"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def visit(page, base, name, path, built: Site, tmp_path):
    """Open the page; the import preview is what uploading an export shows."""
    if name == "import-preview":
        from assessments.exports import export_data, export_json
        from assessments.results import compute
        from assessments.selectors import assessment_record

        export = tmp_path / "export.json"
        data = export_data(built.submitted, compute(assessment_record(assessment=built.submitted)))
        export.write_text(export_json(data))
        page.goto(f"{base}/assessments/import/")
        page.set_input_files("input[type=file]", str(export))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return
    response = page.goto(base + (path(built) if callable(path) else path))
    assert response.status == 200, (name, response.status)


def pages_by_user():
    """The pages grouped by who sees them, signed-out first, so each group signs in once."""
    return [(user, [p for p in PAGES if p[2] == user]) for user in (None, "demo")]
