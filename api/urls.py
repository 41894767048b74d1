from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api.views import answers, assessments, docs, library, tokens

app_name = "api"

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("api/v1/library/instruments/", library.instruments, name="instruments"),
    path("api/v1/library/instruments/<str:code>/", library.instrument, name="instrument"),
    path("api/v1/library/principles/", library.principles, name="principles"),
    path("api/v1/library/principles/<str:code>/", library.principle, name="principle"),
    path("api/v1/library/items/", library.items, name="items"),
    path("api/v1/library/items/<str:code>/", library.item, name="item"),
    path("api/v1/library/themes/", library.themes, name="themes"),
    path("api/v1/library/crosswalk/", library.crosswalk, name="crosswalk"),
    path("api/v1/library/oscal-catalog/", library.oscal_catalog, name="oscal-catalog"),
    path("api/v1/organisations/", assessments.organisations, name="organisations"),
    path(
        "api/v1/organisations/<uuid:organisation>/assessments/",
        assessments.organisation_assessments,
        name="organisation-assessments",
    ),
    path("api/v1/assessments/<uuid:code>/", assessments.assessment, name="assessment"),
    path(
        "api/v1/assessments/<uuid:code>/sections/<str:theme>/answers/",
        answers.section_answers,
        name="section-answers",
    ),
    path("api/v1/assessments/<uuid:code>/results/", assessments.results, name="results"),
    path("api/v1/assessments/<uuid:code>/export/", assessments.export, name="export"),
    path("api/v1/assessments/<uuid:code>/report/", assessments.report, name="report"),
    path("api/v1/assessments/<uuid:code>/oscal/", assessments.oscal, name="oscal"),
    path("api/v1/assessments/<uuid:code>/actions/<str:action>/", assessments.take_action, name="action"),
    # The settings page where members manage their tokens (a page, not the API).
    path("settings/tokens/", tokens.tokens, name="tokens"),
    path("settings/tokens/<uuid:code>/revoke/", tokens.revoke, name="token-revoke"),
]
