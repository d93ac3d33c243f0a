from __future__ import annotations

from django.urls import path

from nidaan.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.search_view, name="search"),
    path("new/", views.register_view, name="register"),
    path("new/duplicates/", views.duplicates_view, name="duplicates"),
    path("<uuid:patient_id>/", views.detail_view, name="detail"),
    path("<uuid:patient_id>/edit/", views.edit_view, name="edit"),
]
