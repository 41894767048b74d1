"""Object-level access and tenant isolation, swept over every URL that names an object.

OWASP ASVS 5.0 8.2.2 (a user reaches only the objects they are allowed to) and 8.4.1 (one
tenant cannot reach another's data). Every URL pattern with a path parameter is either in
COVERED, which says how to name an object of organisation A (Acme) through it, or in EXEMPT with
the reason it needs no sweep. A new URL with an id fails ``test_every_url_with_an_id_is_covered``
until it is added to one of them on purpose.

As B's owner (cast.outsider of Globex) every covered URL answers 404 to GET, POST, PUT, PATCH
and DELETE, exactly as for an id that does not exist; a 405 is accepted only where a
nonexistent id gets the same 405, so that it reveals nothing. Nothing of A changes meanwhile.
The API's URLs (``api:``) are swept twice more: with B's read-and-write and read-only tokens
instead of the session.
"""

import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from api.models import AccessToken, Scope
from assessments.models import (
    ActionItem,
    Answer,
    AnswerRevision,
    Assessment,
    Assignment,
    Comment,
    DraftReport,
    EvidenceFile,
    Invitation,
    IssuedReport,
    Membership,
    Organisation,
    OrganisationEvent,
    ReportRender,
    Role,
)
from assessments.services import assessment_create, assessment_send_for_review, invitation_create
from assessments.services.assignments import assignment_set
from assessments.services.comments import comment_add
from governance.models import Instrument
from tests.api.helpers import bearer, make_token
from tests.assessments.helpers import form_data
from tests.cast import as_user
from tests.factories import approve, seed_answers

THEME = "T05"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
LOGIN_URL = "/accounts/login/"


# --- organisation A's objects ----------------------------------------------------------------


@dataclass
class Acme:
    """What the sweep aims at: objects of organisation A in every state a URL can name."""

    draft: Assessment
    submitted: Assessment  # approved (submitted, before review existed)
    in_review: Assessment
    item: str  # an item code with a saved answer in every assessment
    evidence: list  # an evidence file of each
    memberships: list  # owner, editor and viewer
    invitation: Invitation
    organisation: Organisation
    token: AccessToken  # the owner's API token
    comment: Comment
    assignment: Assignment

    @property
    def assessments(self):
        return [self.draft, self.submitted, self.in_review]


def _answer_with_file(assessment, membership, name):
    upload = SimpleUploadedFile(name, b"acme evidence", content_type="text/plain")
    [code] = seed_answers(
        assessment,
        membership,
        themes=[THEME],
        limit=1,
        justification="Audit log kept.",
        evidence=["https://evidence.example/a"],
        files=lambda n, item: [upload],
    )
    return code


@pytest.fixture
def acme(cast, assessment):
    owner = cast.membership(cast.owner)
    item = _answer_with_file(assessment, owner, "draft.txt")
    second = assessment_create(
        membership=owner,
        title="Chatbot 2025",
        scope="Customer chatbot",
        description="Last year.",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    assert _answer_with_file(second, owner, "submitted.txt") == item
    second = approve(assessment=second, membership=owner)
    third = assessment_create(
        membership=owner,
        title="Chatbot review",
        scope="Customer chatbot",
        description="In review.",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    assert _answer_with_file(third, owner, "in-review.txt") == item
    third = assessment_send_for_review(assessment=third, membership=owner)
    comment = comment_add(assessment=third, membership=owner, item=item, body="Acme's question.")
    assignment = assignment_set(
        assessment=assessment, membership=owner, assignee=owner, theme=THEME, base_url="http://testserver"
    )
    # The item is answered Yes with evidence, not a gap: the row is made directly, as a plan
    # carried over from an approved assessment would hold it.
    ActionItem.objects.create(assessment=assessment, item=item, owner=owner, status="open")
    invitation = invitation_create(
        membership=owner, email="new.hire@example.org", role=Role.EDITOR, base_url="http://testserver"
    )
    make_token(owner)
    return Acme(
        draft=assessment,
        submitted=second,
        in_review=third,
        item=item,
        evidence=[
            EvidenceFile.objects.get(answer__assessment=assessment),
            EvidenceFile.objects.get(answer__assessment=second),
            EvidenceFile.objects.get(answer__assessment=third),
        ],
        memberships=list(Membership.objects.filter(organisation=cast.organisation).order_by("role")),
        invitation=invitation,
        organisation=cast.organisation,
        token=AccessToken.objects.get(membership=owner),
        comment=comment,
        assignment=assignment,
    )


# --- the table -------------------------------------------------------------------------------

# Pattern name -> the kwargs of every URL through it that names an object of A.
COVERED = {
    "assessment": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-edit": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-send": lambda a: [{"code": x.code} for x in a.assessments],
    "review": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-approve": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-return": lambda a: [{"code": x.code} for x in a.assessments],
    "comment-add": lambda a: [{"code": x.code, "item": a.item} for x in a.assessments],
    "comment-resolve": lambda a: [{"code": a.comment.code}],
    "assignments": lambda a: [{"code": x.code} for x in a.assessments],
    "assignment-remove": lambda a: [{"code": a.assignment.code}],
    "action-plan": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-reopen": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-copy": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-delete": lambda a: [{"code": x.code} for x in a.assessments],
    "assessment-upgrade": lambda a: [{"code": x.code} for x in a.assessments],
    "section": lambda a: [{"code": x.code, "theme": THEME} for x in a.assessments],
    "answer-history": lambda a: [{"code": x.code, "item": a.item} for x in a.assessments],
    "results": lambda a: [{"code": x.code} for x in a.assessments],
    "results-instrument": lambda a: [{"code": x.code, "instrument": "SH"} for x in a.assessments],
    "export-json": lambda a: [{"code": x.code} for x in a.assessments],
    "export-csv": lambda a: [{"code": x.code} for x in a.assessments],
    "report-pdf": lambda a: [{"code": x.code} for x in a.assessments],
    "report-status": lambda a: [{"code": x.code} for x in a.assessments],
    "evidence": lambda a: [{"code": f.code} for f in a.evidence],
    "member-role": lambda a: [{"member": m.code} for m in a.memberships],
    "member-remove": lambda a: [{"member": m.code} for m in a.memberships],
    "invitation-revoke": lambda a: [{"code": a.invitation.code}],
    "workbook": lambda a: [{"code": x.code} for x in a.assessments],
    "workbook-upload": lambda a: [{"code": a.draft.code}],
    "workbook-confirm": lambda a: [{"code": a.draft.code}],
    "api:organisation-assessments": lambda a: [{"organisation": a.organisation.code}],
    "api:assessment": lambda a: [{"code": x.code} for x in a.assessments],
    "api:section-answers": lambda a: [{"code": x.code, "theme": THEME} for x in a.assessments],
    "api:results": lambda a: [{"code": x.code} for x in a.assessments],
    "api:export": lambda a: [{"code": x.code} for x in a.assessments],
    "api:report": lambda a: [{"code": x.code} for x in a.assessments],
    "api:oscal": lambda a: [{"code": x.code} for x in a.assessments],
    "api:action": lambda a: [
        {"code": x.code, "action": action} for x in a.assessments for action in ("send_for_review", "approve", "return")
    ],
    "api:token-revoke": lambda a: [{"code": a.token.code}],
}


class JsonBody(dict):
    """A payload sent as JSON, as an API client sends it."""


# What a request would send if it meant harm, so that a missing check would show as a change.
PAYLOADS = {
    "section": lambda a, kwargs: form_data(
        a.draft, THEME, **{a.item: {"choice": "no", "justification": "Changed by an outsider."}}
    ),
    "member-role": lambda a, kwargs: {"role": Role.VIEWER},
    "assessment-edit": lambda a, kwargs: {
        "title": "Renamed by an outsider",
        "scope": "Theirs",
        "description": "",
        "instruments": [Instrument.objects.get(code="HL").pk],
        "confirm": "yes",
    },
    "assessment-send": lambda a, kwargs: {"confirm": "yes"},
    "assessment-approve": lambda a, kwargs: {"attest": "on"},
    "assessment-return": lambda a, kwargs: {"reason": "Returned by an outsider."},
    "comment-add": lambda a, kwargs: {"body": "Planted by an outsider."},
    "assignments": lambda a, kwargs: {"target": THEME, "assignee": a.memberships[0].pk},
    "action-plan": lambda a, kwargs: {"item": a.item, "status": "done", "response": "Closed by an outsider."},
    "assessment-delete": lambda a, kwargs: {"confirm": "yes"},
    "api:section-answers": lambda a, kwargs: JsonBody(
        answers=[{"item": a.item, "choice": "no", "justification": "Changed by an outsider.", "version": 1}]
    ),
    "api:organisation-assessments": lambda a, kwargs: JsonBody(title="Planted", scope="x", instruments=["SH"]),
}

# Pattern name (or route, for unnamed patterns) -> why it takes an id but needs no sweep.
EXEMPT = {
    "invitation": "a single-use, expiring link that only the invited address may use (tests/assessments/"
    "test_invitations.py: another signed-in user gets a refusal and joins nothing)",
    "invitation-signup": "the invitation's own sign-up: anonymous by design, it creates an account with the invited "
    "address in the inviting organisation; signed-in users are sent to the invitation (test_invitations.py)",
    "account_reset_password_from_key": "uid and key come from a reset e-mail; they name no organisation's object",
    "account_confirm_email": "the key comes from a verification e-mail and names an address, not an organisation's "
    "object; a wrong key is the same page as an unknown one",
    "openid_connect_login": "the provider's id is configuration (config/sso.py), the same for everyone",
    "openid_connect_callback": "the provider's id is configuration; the callback checks its own state and code",
    "saml_login": "the SAML app's slug is configuration (config/sso.py), the same for everyone",
    "saml_acs": "the SAML app's slug is configuration; the assertion is checked by its signature",
    "saml_finish_acs": "the SAML app's slug is configuration; finishes the assertion checked at saml_acs",
    "saml_sls": "the SAML app's slug is configuration; single logout of the requester's own session",
    "saml_metadata": "the SAML app's slug is configuration; the service provider's public metadata",
    "mfa_edit_webauthn": "a user's own security key: allauth asks anyone for their password again first, then looks "
    "it up among the requester's own keys (tests/identity/test_mfa.py: another user's key is 404, nothing changes)",
    "mfa_remove_webauthn": "as mfa_edit_webauthn (tests/identity/test_mfa.py)",
    "library:instrument-detail": "public library: instrument codes are public, the page is the same for everyone",
    "library:principle-detail": "public library: principle codes are public, the page is the same for everyone",
    "library:item-detail": "public library: checklist item codes are public, the page is the same for everyone",
    "api:instrument": "public library through the API: the same for everyone, signed in or not",
    "api:principle": "public library through the API: the same for everyone, signed in or not",
    "api:item": "public library through the API: the same for everyone, signed in or not",
}
# Route prefix -> why every pattern under it needs no sweep.
EXEMPT_PREFIXES = {
    "admin/": "Django admin: staff only (is_staff), no member's surface; see test_admin_turns_members_away",
}


def _walk(patterns, prefix="", namespace="", inherited_groups=0):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        groups = inherited_groups + pattern.pattern.regex.groups
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, ns, groups)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route, pattern, groups


def id_patterns():
    """Every URL pattern of the project that takes a parameter: key (its name, or its route
    when it has none) -> (route, pattern)."""
    return {key: (route, pattern) for key, route, pattern, groups in _walk(get_resolver().url_patterns) if groups}


def _exempt(key, route):
    return key in EXEMPT or any(route.startswith(prefix) for prefix in EXEMPT_PREFIXES)


def test_every_url_with_an_id_is_covered():
    patterns = id_patterns()
    uncovered = sorted(key for key, (route, _) in patterns.items() if key not in COVERED and not _exempt(key, route))
    assert not uncovered, (
        "URL patterns that take an id but are neither swept for cross-tenant access (COVERED in "
        f"{__name__}) nor EXEMPT with a reason: {', '.join(uncovered)}"
    )
    stale = sorted(set(COVERED) - set(patterns)) + sorted(set(EXEMPT) - set(patterns))
    assert not stale, f"COVERED/EXEMPT name URL patterns that no longer exist or take no id: {', '.join(stale)}"
    both = sorted(set(COVERED) & set(EXEMPT))
    assert not both, f"Both covered and exempt: {', '.join(both)}"
    assert "admin:assessments_assessment_change" in patterns  # the walk does descend into includes


# --- requests --------------------------------------------------------------------------------


def _nonexistent(name, kwargs):
    """The same pattern with every parameter replaced by one that names nothing."""
    _, pattern = id_patterns()[name]

    def nothing(key):
        converter = pattern.pattern.converters.get(key)
        if isinstance(converter, UUIDConverter):
            return uuid.uuid4()
        # allauth's authenticators are named by their integer id, in an enclosing route.
        if isinstance(converter, IntConverter) or key == "pk":
            return 2**31 - 1
        return f"ZZ-{uuid.uuid4().hex[:8]}"

    return {key: nothing(key) for key in kwargs}


def _request(client, method, url, data, **headers):
    if isinstance(data, JsonBody):
        return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)
    if headers:
        return client.generic(
            method, url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", **headers
        )
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def _targets(acme):
    for name, build in COVERED.items():
        for kwargs in build(acme):
            data = PAYLOADS.get(name, lambda a, k: {})(acme, kwargs)
            yield name, kwargs, reverse(name, kwargs=kwargs), data


def state_of(organisation):
    """Everything of an organisation that a request could change, in a comparable form."""
    return {
        "assessments": list(
            Assessment.objects.filter(organisation=organisation)
            .order_by("code")
            .values_list(
                "code", "status", "title", "scope", "description", "submitted_at", "updated", "frozen_item_count"
            )
        ),
        "instruments": list(
            Assessment.instruments.through.objects.filter(assessment__organisation=organisation)
            .order_by("assessment__code", "instrument__code")
            .values_list("assessment__code", "instrument__code")
        ),
        "answers": list(
            Answer.objects.filter(assessment__organisation=organisation)
            .order_by("id")
            .values_list("id", "assessment__code", "item__code", "choice", "justification", "evidence_urls", "version")
        ),
        "revisions": AnswerRevision.objects.filter(answer__assessment__organisation=organisation).count(),
        "evidence": list(
            EvidenceFile.objects.filter(answer__assessment__organisation=organisation)
            .order_by("code")
            .values_list("code", "file", "original_name", "size")
        ),
        "memberships": list(
            Membership.objects.filter(organisation=organisation)
            .order_by("code")
            .values_list("code", "user__username", "role")
        ),
        "invitations": list(
            Invitation.objects.filter(organisation=organisation)
            .order_by("code")
            .values_list(
                "code", "email", "role", "expires_at", "accepted_at", "accepted_by", "revoked_at", "mail_sent_at"
            )
        ),
        "reports": IssuedReport.objects.filter(assessment__organisation=organisation).count(),
        # An outsider must not spend the organisation's render budget or start its renders.
        "renders": ReportRender.objects.filter(organisation=organisation).count(),
        "draft reports": DraftReport.objects.filter(assessment__organisation=organisation).count(),
        "comments": list(
            Comment.objects.filter(assessment__organisation=organisation)
            .order_by("code")
            .values_list("code", "body", "resolved_at")
        ),
        "assignments": list(
            Assignment.objects.filter(assessment__organisation=organisation)
            .order_by("code")
            .values_list("code", "theme", "item", "assignee", "due")
        ),
        "actions": list(
            ActionItem.objects.filter(assessment__organisation=organisation)
            .order_by("code")
            .values_list("code", "status", "response", "owner", "due")
        ),
        "log": OrganisationEvent.objects.filter(organisation=organisation).count(),
        "tokens": list(
            AccessToken.objects.filter(membership__organisation=organisation)
            .order_by("code")
            .values_list("code", "scope", "expires_at", "revoked_at")
        ),
        "authenticators": list(
            Authenticator.objects.filter(user__memberships__organisation=organisation)
            .order_by("pk")
            .values_list("pk", "type", "data")
        ),
    }


def whole_state():
    return {
        "organisations": list(Organisation.objects.order_by("code").values_list("code", "name")),
        "assessments": Assessment.objects.count(),
        "memberships": list(Membership.objects.order_by("code").values_list("code", "organisation__name", "role")),
    }


# --- the sweeps ------------------------------------------------------------------------------


def test_outsider_gets_404_for_every_object_of_another_organisation(client, cast, acme):
    before, before_all = state_of(cast.organisation), whole_state()
    client = as_user(client, cast.outsider)
    problems, checked = [], 0
    for name, kwargs, url, data in _targets(acme):
        missing_url = reverse(name, kwargs=_nonexistent(name, kwargs))
        for method in METHODS:
            status = _request(client, method, url, data).status_code
            checked += 1
            if status == 404:
                continue
            if status == 405:
                baseline = _request(client, method, missing_url, data).status_code
                if baseline == 405:
                    continue
                problems.append(f"{method} {url} ({name}): 405, but {baseline} for a nonexistent id")
                continue
            problems.append(f"{method} {url} ({name}): {status}, expected 404")
    assert not problems, "Organisation A's objects answer an outsider differently from nothing:\n" + "\n".join(problems)
    assert checked >= len(COVERED) * len(METHODS)
    assert state_of(cast.organisation) == before, "the outsider's requests changed organisation A's data"
    assert whole_state() == before_all, "the outsider's requests changed organisations or memberships"


@pytest.mark.parametrize("scope", [Scope.WRITE, Scope.READ])
def test_outsider_token_gets_404_for_every_api_object_of_another_organisation(client, cast, acme, scope):
    """The same sweep through the API with B's owner's token (no session, no CSRF)."""
    before, before_all = state_of(cast.organisation), whole_state()
    headers = bearer(make_token(Membership.objects.get(user=cast.outsider), scope))
    problems, checked = [], 0
    for name, kwargs, url, data in _targets(acme):
        if not url.startswith("/api/"):
            continue
        missing_url = reverse(name, kwargs=_nonexistent(name, kwargs))
        for method in METHODS:
            status = _request(client, method, url, data, **headers).status_code
            checked += 1
            baseline = _request(client, method, missing_url, data, **headers).status_code
            # 404 as for nothing; or, where a nonexistent id gets the same, 405 (a method the URL
            # does not take) or 403 (a read-only token asked to write, refused before any lookup).
            if status == 404 or (status in (403, 405) and status == baseline):
                continue
            problems.append(f"{method} {url} ({name}): {status}, {baseline} for a nonexistent id")
    assert not problems, "A's objects answer B's token differently from nothing:\n" + "\n".join(problems)
    assert checked >= 8 * len(METHODS)
    assert state_of(cast.organisation) == before
    # B's token was used, nothing else of B's changed.
    assert whole_state() == before_all


def test_anonymous_is_sent_to_sign_in_for_every_object(client, cast, acme):
    before = state_of(cast.organisation)
    problems = []
    for name, _kwargs, url, data in _targets(acme):
        for method in METHODS:
            response = _request(client, method, url, data)
            status = response.status_code
            if status == 302 and response["Location"].startswith(LOGIN_URL):
                continue
            if status == 401 and url.startswith("/api/"):
                continue  # the API asks for credentials instead of redirecting
            if status in (404, 405):
                continue
            problems.append(f"{method} {url} ({name}): {status} {response.get('Location', '')}")
    assert not problems, "Anonymous requests reach organisation A's objects:\n" + "\n".join(problems)
    assert state_of(cast.organisation) == before


def _owner_request(client, name, url, acme, kwargs, monkeypatch):
    # Rendering a PDF takes seconds and is not what is checked here: only that the lookup passes.
    monkeypatch.setattr("assessments.reports.services.html_to_pdf", lambda html, **kw: b"%PDF-stub")
    monkeypatch.setattr("assessments.reports.services.render_pdf", lambda context, **kw: b"%PDF-stub")
    response = client.get(url)
    if response.status_code == 405:
        response = _request(client, "POST", url, PAYLOADS.get(name, lambda a, k: {})(acme, kwargs))
    return response


@pytest.mark.parametrize("name", sorted(COVERED))
def test_the_table_names_real_objects_that_their_members_reach(client, cast, acme, name, monkeypatch):
    """Without this the sweep could pass on ids that name nothing: A's owner gets past the
    lookup (any answer but 404 and 405) on every URL the table builds."""
    client = as_user(client, cast.owner)
    for kwargs in COVERED[name](acme):
        url = reverse(name, kwargs=kwargs)
        response = _owner_request(client, name, url, acme, kwargs, monkeypatch)
        assert response.status_code not in (404, 405), f"{url}: {response.status_code} for A's own owner"


def test_admin_turns_members_away(client, cast, acme):
    client = as_user(client, cast.outsider)
    for url in (
        reverse("admin:assessments_assessment_change", args=[acme.draft.pk]),
        reverse("admin:assessments_assessment_delete", args=[acme.draft.pk]),
        reverse("admin:assessments_invitation_change", args=[acme.invitation.pk]),
    ):
        for method in ("GET", "POST"):
            response = _request(client, method, url, {"post": "yes"})
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url


def test_switching_to_another_organisation_is_404(client, cast, acme):
    client = as_user(client, cast.outsider)
    response = client.post(reverse("switch-organisation"), {"organisation": str(cast.organisation.code)})
    assert response.status_code == 404
    assert "organisation" not in client.session
    assert cast.organisation.name not in client.get(reverse("dashboard")).content.decode()
