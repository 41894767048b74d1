"""The API docs page: Swagger UI from the drf-spectacular-sidecar package, under the site's CSP.

The split view serves its start-up script as a file of its own, and the page's template has no
inline style, so the page needs no 'unsafe-inline' and no third-party origin.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "AIGov API"
