from __future__ import annotations

from django.urls import path

from nidaan.opd import views

app_name = "opd"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("token/new/", views.token_new_view, name="token_new"),
    path("queue/<uuid:entry_id>/priority/", views.priority_view, name="priority"),
    path("queue/<uuid:entry_id>/status/", views.status_view, name="status"),
    path("queue/<uuid:entry_id>/start/", views.start_view, name="start"),
    path("queue/<uuid:entry_id>/done/", views.done_view, name="done"),
    path("doctor/", views.doctor_view, name="doctor"),
    path("doctor/waiting/", views.doctor_waiting_view, name="doctor_waiting"),
    path("doctor/call-next/", views.call_next_view, name="call_next"),
    path("display/", views.display_view, name="display"),
    path("display/board/", views.display_board_view, name="display_board"),
    path("appointments/", views.appointments_view, name="appointments"),
    path("appointments/new/", views.book_view, name="book"),
    path("appointments/<uuid:appointment_id>/check-in/", views.check_in_view, name="check_in"),
    path(
        "appointments/<uuid:appointment_id>/status/",
        views.appointment_status_view,
        name="appointment_status",
    ),
    path("schedule/", views.schedule_view, name="schedule"),
]
