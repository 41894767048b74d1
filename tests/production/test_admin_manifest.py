"""Every admin page renders under the production static files: a real collectstatic into a
temporary STATIC_ROOT with the storage production uses (hashed names, a strict manifest), then
every page of every registered model, with DEBUG off.

The rest of the suite serves static files unhashed (DJANGO_MANIFEST_STATIC=0), where a file
that collectstatic dropped still resolves; under the manifest the {% static %} tag raises
"Missing staticfiles manifest entry" instead, and the page is a 500.
"""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from accounts.models import Profile
from api.services import token_create
from assessments.services import invitation_create
from assessments.tasks import render_issued_report
from identity.models import SsoDomain
from tests.factories import approve, seed_answers

# What config/settings.py chooses when DJANGO_MANIFEST_STATIC is on (DEBUG off, production).
PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory, django_settings_storages):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=django_settings_storages(PRODUCTION_STATIC)):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (root / "staticfiles.json").is_file()
    return root


@pytest.fixture(scope="module")
def django_settings_storages():
    from django.conf import settings

    return lambda static: {**settings.STORAGES, "staticfiles": static}


@pytest.fixture
def production_static(settings, static_root, django_settings_storages):
    settings.DEBUG = False
    settings.STATIC_ROOT = static_root
    settings.STORAGES = django_settings_storages(PRODUCTION_STATIC)


@pytest.fixture
def every_model_has_a_row(cast, assessment, settings):
    """At least one object of each registered model, so that each has a change page to open."""
    owner = cast.membership(cast.owner)
    seed_answers(assessment, owner, themes=["T05"], limit=1, justification="Why.")
    invitation_create(membership=owner, email="new@example.org", role="viewer", base_url="http://testserver")
    token_create(membership=owner, name="CI", scope="read", expires_on=dt.date.today() + dt.timedelta(days=30))
    Group.objects.create(name="Curators")
    Profile.objects.create(user=cast.owner, language="fr")
    AccessAttempt.objects.create(username="ann", ip_address="203.0.113.5", user_agent="x", failures_since_start=1)
    AccessLog.objects.create(username="ann", ip_address="203.0.113.5", user_agent="x")
    AccessFailureLog.objects.create(username="ann", ip_address="203.0.113.5", user_agent="x", locked_out=False)
    # Accounts: an authenticator, a single-sign-on app with an account and token, a session.
    Authenticator.objects.create(user=cast.owner, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    app = SocialApp.objects.create(provider="openid_connect", provider_id="corp", name="Corp", client_id="c")
    account = SocialAccount.objects.create(user=cast.editor, provider="corp", uid="editor-1")
    SocialToken.objects.create(app=app, account=account, token="t")
    UserSession.objects.create(user=cast.owner, ip="203.0.113.5", session_key="k" * 32, user_agent="x")
    SsoDomain.objects.create(organisation=cast.organisation, domain="example.org", provider_id="corp")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    submitted = approve(assessment=assessment, membership=owner)
    render_issued_report.enqueue(submitted.pk)  # a queued task result


def admin_pages(user):
    """(label, url, expected status) for every admin page a superuser can open."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [("index", reverse("admin:index"), 200), ("password change", reverse("admin:password_change"), 200)]
    missing = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}"
        label = meta.label
        pages.append((f"{meta.app_label} app", reverse("admin:app_list", args=[meta.app_label]), 200))
        pages.append((f"{label} list", reverse(f"{name}_changelist"), 200))
        pages.append((f"{label} add", reverse(f"{name}_add"), 200 if model_admin.has_add_permission(request) else 403))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            missing.append(label)
            continue
        pages.append((f"{label} change", reverse(f"{name}_change", args=[obj.pk]), 200))
        pages.append((f"{label} history", reverse(f"{name}_history", args=[obj.pk]), 200))
        deletable = model_admin.has_delete_permission(request, obj)
        pages.append((f"{label} delete", reverse(f"{name}_delete", args=[obj.pk]), 200 if deletable else 403))
    assert not missing, f"give these models a row in every_model_has_a_row: {missing}"
    return list(dict.fromkeys(pages))


def test_every_admin_page_renders_under_the_manifest(
    production_static, every_model_has_a_row, admin_client, admin_user
):
    pages = admin_pages(admin_user)
    assert len(pages) > 60
    failures = []
    for label, url, expected in pages:
        response = admin_client.get(url)
        if response.status_code != expected:
            failures.append(f"{label} ({url}): {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_the_admin_pages_name_hashed_static_files(production_static, every_model_has_a_row, admin_client):
    """The pages above really went through the manifest: their script tags name hashed files."""
    body = admin_client.get(reverse("admin:assessments_assessment_changelist")).content.decode()
    assert "/static/admin/js/vendor/jquery/jquery.min.js" not in body
    assert "/static/admin/js/vendor/jquery/jquery.min." in body


def test_the_sign_in_page_renders_under_the_manifest(production_static, client, db):
    assert client.get(reverse("admin:login")).status_code == 200
