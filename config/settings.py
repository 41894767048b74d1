"""Settings for the AI-governance self-assessment app.

One module, read from the environment through the strict helpers in ``config.env``.
SQLite is the embedded default; PostgreSQL comes in through ``DATABASE_URL``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    weak_secret_key,
)
from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# Never a random default: a random key would silently invalidate every session and
# password-reset link on each restart, and a fixed public one is worse. Only DEBUG runs
# (development and tests) may fall back to a key that is clearly marked as insecure.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or None
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
elif not DEBUG and weak_secret_key(SECRET_KEY):
    # Django's own check (security.W009) only warns, and only under `check --deploy`; a key
    # this weak lets anyone who guesses it forge sessions and reset links, so refuse to start.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for DJANGO_DEBUG off: it needs at least "
        f"{SECRET_KEY_MIN_LENGTH} characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, and not the "
        f"'{SECRET_KEY_INSECURE_PREFIX}' prefix. Make one with: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's sessions page says "2 hours ago"
    "config.apps.ProjectStaticFilesConfig",  # django.contrib.staticfiles, see config/apps.py
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "governance",
    "assessments",
    "api",
    "accounts",
    # Accounts (docs/accounts.md): django-allauth's sign-up, sign-in, reset, e-mail verification,
    # MFA, single sign-on and sessions; the project's own parts of them in identity/.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.usersessions",
    "identity",
]

MIDDLEWARE = [
    # First: every log line of a request, and its response, carry its id (config/middleware.py).
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads a form body: a non-UTF-8 form is a 400, not a chain of 500s.
    "config.middleware.FormCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware (Django's order): the language cookie, then
    # Accept-Language. A signed-in user's own choice (accounts.Profile) overrides both, through
    # the session, in UserLanguageMiddleware below.
    "django.middleware.locale.LocaleMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.LogUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages: members who must use MFA and have none set it up first.
    "identity.middleware.RequireMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The answer cards of a section page only (assessments/answer_cards.py): hundreds of them
        # render several times faster compiled by Jinja2 than interpreted by Django's engine.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # Tests use a file too: an in-memory database shares one cache between threads and
    # fails at once with "table is locked" where a real deployment would wait its turn.
    # One file per test process, so that two test runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    # A small team writes at once: WAL lets readers go on during a write, IMMEDIATE takes
    # the write lock at BEGIN (so a transaction never fails half-way on upgrade), and the
    # timeout makes a second writer wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first, as Django's documentation recommends (argon2-cffi), with OWASP's parameters
# (config/hashers.py says why not Django's). The others stay so that older hashes still verify;
# Django rehashes a password with the first hasher when its owner next signs in.
PASSWORD_HASHERS = [
    "config.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages (docs/translating.md). English is the default and the language of
# the source strings; the catalogues live in locale/<code>/LC_MESSAGES/django.po.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers are formatted per language; config/formats/ holds the formats this
# project chooses where Django's own differ ("1 Sep 2018" in English, 2018年9月1日 in Chinese).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The language an anonymous visitor chose, for a year; a signed-in user's lives in their profile.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Request size. A section's save posts every item of the section at once (all or nothing), each
# with its answer, justification, URLs and version, and a box per file to remove or keep: up to
# FIELDS_PER_ITEM fields; browsers send a file input with no file chosen as one more field.
# Django's defaults (1,000 fields, 2.5 MB) refuse the save of a section of more than about 200
# items from a browser with a bare 400. The limits are computed from the largest
# section this server is to accept, so that they still bound what anyone may post (parsing
# happens before any sign-in check): SECTION_MAX_ITEMS items (the shipped library's largest
# section has a few dozen at most), each with a justification at its 5,000-character limit in any
# script (at most 4 bytes a character in UTF-8) and URLs besides. Files chosen are limited by
# Django's DATA_UPLOAD_MAX_NUMBER_FILES (100 a save) and 10 MB each; a proxy in front limits the
# whole body. These sizes are multipart's: the page's script posts urlencoded, which triples
# non-ASCII text, only when that body fits DATA_UPLOAD_MAX_MEMORY_SIZE (static/js/post-encoding.js).
SECTION_MAX_ITEMS = env_int("AIGOV_SECTION_MAX_ITEMS", 1000)
FIELDS_PER_ITEM = 8  # choice, justification, URLs, version, the empty file input, clear, file boxes
BYTES_PER_ITEM = 5000 * 4 + 4000  # a full justification in 4-byte characters, and URLs
DATA_UPLOAD_MAX_NUMBER_FIELDS = SECTION_MAX_ITEMS * FIELDS_PER_ITEM + 100  # and the buttons, CSRF token
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, SECTION_MAX_ITEMS * BYTES_PER_ITEM)

MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Uploaded evidence and issued reports go through the storage API, so several app servers can
# share them: local disk by default, an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set.
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
_manifest_static = env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
if not _manifest_static:
    # Development and tests serve static files straight from the app directories.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": _default_storage,
    # WhiteNoise serves static files from the app servers, compressed and with hashed names;
    # tests and development use plain storage, so no collectstatic is needed there.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest_static
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A cache in the database: shared by every app server without another service to run.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "aigov_cache"},
    # Rendered parts of pages, kept in each process under keys of everything they show
    # (assessments/results_cache.py): a stale one is never served, so nothing needs sharing, and a
    # database round trip would cost more than the rendering it saves. About 60 KB each.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "aigov-fragments",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Background work (rendering reports, docs/report.md) runs in `manage.py db_worker`, which the
# serve command starts beside gunicorn.
# `make run` (DEBUG) has no worker, so there tasks run at once, in the request.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "DJANGO_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        )
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "library:instrument-list"

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "aigov@localhost")

# Structured logs: one JSON object per line on stderr (config/logging.py).
LOGGING = logging_config(env_choice("DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"]))

# The shipped library: load_library reads these when it is given no files.
LIBRARY_DIR = BASE_DIR / "fixtures" / "library"

# --- security ------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto header (and only then).
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)

# Content Security Policy: no inline script anywhere, no third-party origin at all.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes): lock a username + IP pair after 5 failures, for 15 minutes
# (its default would lock for ever), and forget failures after a successful sign-in. Locking the
# pair, not the username, stops an attacker elsewhere from locking a real user out.
# django-axes' check first (it signs no one in: it refuses a locked-out attempt), then allauth's
# backend, subclassed so that loading the signed-in user also loads whether they must use MFA and
# have it (identity/backends.py), without a query of its own.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "identity.backends.AccountBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address behind DJANGO_PROXY_COUNT proxies (config/client_ip.py), and the admin's
# sign-in counted apart from the normal one (config/throttling.py).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more, not {PROXY_COUNT}.")
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "config.throttling.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Reports (docs/report.md). Renders started per organisation and per person in a window, so
# that one tenant, or one member, cannot tie up the task worker.
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 20)
REPORT_RATE_LIMIT_PER_PERSON = env_int("REPORT_RATE_LIMIT_PER_PERSON", 10)
REPORT_RATE_WINDOW_SECONDS = env_int("REPORT_RATE_WINDOW_SECONDS", 600)
# A running render writes a heartbeat every fifth of this; one silent for this long has lost its
# worker and is queued again, at most REPORT_RENDER_ATTEMPTS times in all.
REPORT_RENDER_TIMEOUT_SECONDS = env_int("REPORT_RENDER_TIMEOUT_SECONDS", 60)
REPORT_RENDER_ATTEMPTS = env_int("REPORT_RENDER_ATTEMPTS", 3)
# Processes that render parts of one report at once (a pool started once per worker process);
# 1 renders in the worker's own process. Reports shorter than REPORT_PARALLEL_MIN_CHARS of HTML
# render in one process whatever this says: for them the pool's overhead is more than it saves.
REPORT_RENDER_PROCESSES = env_int("REPORT_RENDER_PROCESSES", min(2, os.cpu_count() or 1))
REPORT_PARALLEL_MIN_CHARS = env_int("REPORT_PARALLEL_MIN_CHARS", 60000)

# The service's public address, printed in every report as the full verification URL and its QR
# code: a reader of a paper copy has no other way to know where "/verify/" lives. Empty, a report
# prints the path alone.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must start with https:// (or http://), e.g. https://aigov.example.org")

# --- the REST API (docs/api.md) ------------------------------------------------------------
# Bearer tokens first: an anonymous request then gets 401 with a WWW-Authenticate header. The
# session serves the app's own pages and the API docs, with Django's CSRF check.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle", "api.throttling.MemberThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or signed-in user) and per anonymous address; "N/second|minute|hour|day".
API_RATE_MEMBER = env_str("API_RATE_MEMBER", "120/minute")
API_RATE_ANONYMOUS = env_str("API_RATE_ANONYMOUS", "30/minute")
# How long a new personal access token may live, at most.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 366)

SPECTACULAR_SETTINGS = {
    "TITLE": "AIGov API",
    "DESCRIPTION": "The library of AI-governance instruments, and an organisation's assessments. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package, served by WhiteNoise: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": False},
    "ENUM_NAME_OVERRIDES": {
        "ChoiceEnum": "assessments.models.Choice",
        "StatusEnum": "assessments.models.Status",
        "ScopeEnum": "api.models.Scope",
    },
}

# --- accounts: django-allauth (docs/accounts.md) --------------------------------------------
# People sign in with their username, as before allauth; the e-mail address is required, unique,
# and verified by a link. Verification is "optional" so that a new account opens at once (sign-up
# creates the organisation and lands on its dashboard, as it did); what needs a verified address
# (inviting people, being matched to a single-sign-on account) checks for one itself.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None  # the "remember me" box; unticked, the session ends with the browser
ACCOUNT_USERNAME_MIN_LENGTH = 1
ACCOUNT_ADAPTER = "identity.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "identity.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "AIGov: "
# One lockout mechanism: django-axes (above) counts failed sign-ins per username and client
# address behind the proxies, and answers 429. allauth's own failed-sign-in limit would be a second,
# different count (per address without the proxy count, and per username), so it is off. Its other
# limits stay: they guard what axes does not see (reset mails, sign-ups, e-mail changes), and count
# the client address through the same helper (AccountAdapter.get_client_ip).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Confirming one's access again (before MFA changes) by password or a second factor: not by a code
# mailed, which would make the mailbox enough to change the second factor.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

# MFA: TOTP with recovery codes, and WebAuthn security keys and passkeys. The TOTP issuer names the
# site in the authenticator app. Passkey sign-in (without a username) is on; passkey sign-up is off,
# since a sign-up creates an organisation and needs the form.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "AIGov")
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn over plain http works only on localhost; tests and development use it there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions a user can see and end (allauth.usersessions); recorded at each sign-in.
USERSESSIONS_TRACK_ACTIVITY = False

# Single sign-on. Accounts are matched by verified e-mail only (identity/adapters.py), never by an
# address the provider did not verify; a provider's sign-in never creates an organisation.
SOCIALACCOUNT_ADAPTER = "identity.adapters.SocialAccountAdapter"
# allauth's own e-mail matching is off: it would match an address that is unverified here, which
# lets someone who signed up with another person's address take over their sign-on.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the address is trusted only when the provider verified it
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False
from config.sso import sso_providers  # noqa: E402

SOCIALACCOUNT_PROVIDERS = sso_providers()
