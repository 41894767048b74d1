from django.urls import path

from accounts.views import set_language

urlpatterns = [path("language/", set_language, name="set-language")]
