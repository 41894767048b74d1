from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("accounts/security/", views.security, name="security"),
    path("members/require-mfa/", views.organisation_mfa, name="organisation-mfa"),
    path("accounts/sso/", views.sso_start, name="sso-start"),
]
