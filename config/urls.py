from django.contrib import admin
from django.urls import include, path

from assessments.views.accounts import home

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
    path("", include("governance.urls")),
    path("", include("api.urls")),
]
