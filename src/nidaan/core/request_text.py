"""Refuse requests whose query string or form fields carry a NUL character.

No field a person types contains NUL, PostgreSQL refuses it in text, and a hub on
PostgreSQL would otherwise answer such a request with a server error instead of saying
what is wrong. Django's form fields already refuse NUL; this covers the parameters views
read directly (search boxes, filters, `?next=`) and the JSON API's bodies. Sync batches
are left to the sync endpoints, which check every change themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(data: object) -> bool:
    lists = getattr(data, "lists", None)
    if lists is None:
        return False
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in lists())


def contains_nul(value: object) -> bool:
    """Whether decoded JSON (or any text) holds a NUL anywhere, keys included. The API,
    sync batches and audit shipments all refuse such input with this one check."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def _body_has_nul(request: HttpRequest) -> bool:
    if request.content_type != "application/json" or request.path.startswith("/sync/"):
        return False
    try:
        return contains_nul(json.loads(request.body))
    except ValueError:
        return False  # not JSON at all: the view says so in its own words


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form_encoded = request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        if (
            _has_nul(request.GET)
            or (request.method == "POST" and form_encoded and _has_nul(request.POST))
            or _body_has_nul(request)
        ):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no field accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
