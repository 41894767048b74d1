"""collectstatic gathers every file the templates name, and not the bootstrap package's unused
builds (see config/apps.py)."""

import re
from pathlib import Path

from django.core.management import call_command

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def test_collectstatic_keeps_what_templates_use_and_skips_unused_builds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    used = {m for t in Path(settings.BASE_DIR, "templates").rglob("*.html") for m in STATIC_TAG.findall(t.read_text())}
    assert "bootstrap/css/bootstrap.min.css" in used
    for name in used:
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "bootstrap/css/bootstrap.min.css.map").is_file()  # named by the CSS itself
    assert (tmp_path / "admin/css/base.css").is_file()
    # The admin's own jQuery is not the bootstrap package's: every admin form page needs it.
    for admin_file in ["admin/js/vendor/jquery/jquery.min.js", "admin/js/jquery.init.js", "admin/css/rtl.css"]:
        assert (tmp_path / admin_file).is_file(), admin_file
    # The API docs' Swagger UI, from drf-spectacular-sidecar, and not the Redoc it ships too.
    assert (tmp_path / "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").is_file()
    assert not (tmp_path / "drf_spectacular_sidecar/redoc").exists()
    for unused in [
        "bootstrap/css/bootstrap.css",
        "bootstrap/css/bootstrap-grid.min.css",
        "bootstrap/css/bootstrap.rtl.min.css",
        "bootstrap/js/bootstrap.esm.js",
        "bootstrap/js/jquery.min.js",
        "bootstrap/js/bootstrap.min.js",
    ]:
        assert not (tmp_path / unused).exists(), unused
