"""Lab reports and images attached to a patient or a visit."""

from __future__ import annotations

from django.urls import path

from nidaan.documents import views

app_name = "documents"
urlpatterns = [
    path("patient/<uuid:patient_id>/", views.list_view, name="list"),
    path("patient/<uuid:patient_id>/upload/", views.upload_view, name="upload"),
    path("<uuid:document_id>/", views.document_view, name="view"),
    path("<uuid:document_id>/file", views.file_view, name="file"),
    path(
        "<uuid:document_id>/entered-in-error/",
        views.entered_in_error_view,
        name="entered_in_error",
    ),
]
