from django.contrib import admin
from django.urls import include, path

from assessments.views.accounts import home
from identity import views as identity_views
from identity.forms import AdminLoginForm

# The admin's sign-in refuses staff with a second factor (they sign in on the site's page).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    # allauth's account pages; the project's own views of some first, so that they answer at allauth's paths.
    path("accounts/signup/", identity_views.signup, name="account_signup"),
    path("accounts/2fa/totp/activate/", identity_views.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/webauthn/add/", identity_views.add_webauthn, name="mfa_add_webauthn"),
    path("accounts/", include("allauth.urls")),
    path("", include("identity.urls")),
    path("", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("governance.urls")),
    path("", include("api.urls")),
]
