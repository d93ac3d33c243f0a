from __future__ import annotations

from django.urls import path

from nidaan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
    path("login/code/", views.login_code_view, name="login_code"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("sessions/", views.sessions_view, name="sessions"),
    path("staff/<uuid:user_id>/", views.staff_security_view, name="staff_security"),
]
