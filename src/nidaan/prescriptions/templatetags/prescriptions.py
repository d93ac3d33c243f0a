"""`{% prescription_section encounter %}`: the prescription section, rendered into the
consultation screen with the page (not fetched after it loads, which would shift the
page under a user who is already typing)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def prescription_section(context: template.Context, encounter: Any) -> SafeString:
    from nidaan.prescriptions.views import section_context

    request = context["request"]
    return render_to_string(
        "prescriptions/_section.html", section_context(request, encounter), request=request
    )
