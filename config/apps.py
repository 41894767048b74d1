"""App configuration overrides for third-party apps."""

from django.contrib.staticfiles.apps import StaticFilesConfig

# The bootstrap package's builds that no template uses, by file name within its css/ and js/.
_UNUSED_BOOTSTRAP_BUILDS = [
    "bootstrap-grid*",
    "bootstrap-reboot*",
    "bootstrap-utilities*",
    "*.rtl.*",
    "bootstrap.css*",
    "bootstrap.js*",
    "bootstrap.min.js*",
    "bootstrap.esm*",
    "bootstrap.bundle.js*",
    "jquery*",
]


class ProjectStaticFilesConfig(StaticFilesConfig):
    """collectstatic without the bootstrap package's unused builds.

    The package ships every Bootstrap variant (grid, reboot, utilities, right-to-left, ESM,
    unminified, jQuery): about 6 MB that WhiteNoise would hash and compress twice on every
    deployment, for two files the templates use (bootstrap.min.css, bootstrap.bundle.min.js).

    Each pattern names a path under bootstrap/: collectstatic matches a bare pattern against
    every file and directory name of every app, and a bare "jquery*" dropped the admin's own
    jQuery (admin/js/vendor/jquery/), which made every admin page a 500 under the manifest.
    """

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        *(f"bootstrap/{folder}/{name}" for folder in ("css", "js") for name in _UNUSED_BOOTSTRAP_BUILDS),
        # drf-spectacular-sidecar ships Redoc beside Swagger UI; the API docs use Swagger UI only.
        "drf_spectacular_sidecar/redoc/*",
    ]
