from __future__ import annotations

from django.urls import URLPattern, path

from nidaan.encounters import views

app_name = "encounters"
urlpatterns: list[URLPattern] = [
    path("<uuid:encounter_id>/", views.consultation_view, name="consultation"),
    path("<uuid:encounter_id>/note/", views.save_note_view, name="save_note"),
    path("<uuid:encounter_id>/vitals/", views.record_vitals_view, name="record_vitals"),
    path("<uuid:encounter_id>/diagnoses/", views.add_diagnosis_view, name="add_diagnosis"),
    path("<uuid:encounter_id>/allergies/", views.record_allergy_view, name="record_allergy"),
    path(
        "<uuid:encounter_id>/note/<uuid:record_id>/correct/",
        views.correct_note_view,
        name="correct_note",
    ),
    path(
        "<uuid:encounter_id>/vitals/<uuid:record_id>/correct/",
        views.correct_vitals_view,
        name="correct_vitals",
    ),
    path(
        "<uuid:encounter_id>/diagnoses/<uuid:record_id>/correct/",
        views.correct_diagnosis_view,
        name="correct_diagnoses",
    ),
    path(
        "<uuid:encounter_id>/allergies/<uuid:record_id>/correct/",
        views.correct_allergy_view,
        name="correct_allergies",
    ),
    path("icd10/", views.icd10_search_view, name="icd10_search"),
    path("patient/<uuid:patient_id>/", views.history_view, name="history"),
    path("patient/<uuid:patient_id>/start/", views.start_visit_view, name="start"),
]
