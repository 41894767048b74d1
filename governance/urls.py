from django.urls import path

from governance import views

app_name = "library"

urlpatterns = [
    path("library/", views.instrument_list, name="instrument-list"),
    path("library/crosswalk/", views.crosswalk, name="crosswalk"),
    path("library/instruments/<str:code>/", views.instrument_detail, name="instrument-detail"),
    path("library/principles/<str:code>/", views.principle_detail, name="principle-detail"),
    path("library/items/<str:code>/", views.item_detail, name="item-detail"),
]
