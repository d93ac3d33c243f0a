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
    path("duplicates/", views.duplicate_list_view, name="duplicate_list"),
    path("<uuid:patient_id>/merge/<uuid:other_id>/", views.merge_view, name="merge"),
    path("merges/<uuid:merge_id>/unmerge/", views.unmerge_view, name="unmerge"),
]
