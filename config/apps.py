"""App configuration overrides for third-party apps."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class ProjectStaticFilesConfig(StaticFilesConfig):
    """collectstatic without the bootstrap package's unused builds.

    The package ships every Bootstrap variant (grid, reboot, utilities, right-to-left, ESM,
    unminified, jQuery): about 6 MB that WhiteNoise would hash and compress twice on every
    deployment, for two files the templates use (bootstrap.min.css, bootstrap.bundle.min.js).
    """

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
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
        # drf-spectacular-sidecar ships Redoc beside Swagger UI; the API docs use Swagger UI only.
        "redoc",
    ]
