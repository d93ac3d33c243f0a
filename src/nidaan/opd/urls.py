from __future__ import annotations

from django.urls import URLPattern

app_name = "opd"
urlpatterns: list[URLPattern] = []
