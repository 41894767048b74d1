import multiprocessing
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from assessments import signals  # noqa: F401  (file clean-up of cached draft reports)

        # The task worker renders reports: start its pool of renderers as it boots, so that the
        # first report does not wait for them. Only in the worker's own process: the pool's
        # children import this app too, with the worker's command line.
        if sys.argv[1:2] == ["db_worker"] and multiprocessing.parent_process() is None:
            from django.conf import settings

            if settings.REPORT_RENDER_PROCESSES > 1:
                from assessments.reports import parallel

                parallel.prestart()
