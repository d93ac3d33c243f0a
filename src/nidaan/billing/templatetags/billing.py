"""Template filters for money in Indian grouping and billing labels."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

from nidaan.billing.models import DocumentType
from nidaan.billing.money import inr as format_inr

register = template.Library()


@register.filter
def inr(value: Any) -> str:
    """1,23,456.00 (empty for nothing)."""
    if value is None or value == "":
        return ""
    try:
        return format_inr(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, Decimal(0))


@register.filter
def doc_type(value: str) -> str:
    return str(DocumentType(value).label)


@register.filter
def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
