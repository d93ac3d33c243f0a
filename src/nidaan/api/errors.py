"""Every refusal answers with JSON that says what is wrong, field by field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


class FormErrors(Exception):
    """A form refused the input: 400 with its per-field messages."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__("invalid input")
        self.errors = {
            ("non_field" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in form.errors.items()
        }


def _field_of(location: list[Any]) -> str:
    names = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(names) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(FormErrors)
    def form_errors(request: HttpRequest, exc: FormErrors) -> HttpResponse:
        return api.create_response(request, {"errors": exc.errors}, status=400)

    @api.exception_handler(ValidationError)
    def schema_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(list(error.get("loc", []))), []).append(
                str(error.get("msg", "invalid"))
            )
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "send a valid token: Authorization: Bearer <token>"}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
