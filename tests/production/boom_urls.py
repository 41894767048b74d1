"""The project's URLs plus one view that fails, for the logging tests."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("the test view fails on purpose")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
