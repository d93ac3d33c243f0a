"""What an upload must be to be kept: not empty, not too large, a real PDF, JPEG or PNG.

The upload page, the API and the upload action all call `check_upload`, so a refusal
reads the same wherever the file came from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from nidaan.documents import filetypes

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "NIDAAN_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def size_label(size: int) -> str:
    """ "10 MB", "2.5 MB", "600 KB": how clinics and phones write file sizes (Latin digits
    and English units in both languages)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def read_head(upload: File[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(filetypes.HEAD_BYTES)
    upload.seek(0)
    return bytes(head)


def check_upload(upload: File[bytes]) -> str:
    """The content type of `upload` as its content says, or ValidationError saying why
    it cannot be kept and what to do instead."""
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(
            _("The file “%(name)s” is empty: choose the report again.") % {"name": name},
            code="empty",
        )
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _(
                "The file “%(name)s” is %(size)s; the largest allowed is %(limit)s. "
                "Scan or photograph the report at a lower resolution."
            )
            % {"name": name, "size": size_label(size), "limit": size_label(limit)},
            code="too_large",
        )
    head = read_head(upload)
    content_type = filetypes.sniff(head)
    if content_type is not None:
        return content_type
    raise ValidationError(_refusal(name, head), code="file_type")


def _refusal(name: str, head: bytes) -> str:
    claimed = filetypes.claimed_by_name(name)
    what = filetypes.describe_other(head)
    values = {"name": name, "claimed": claimed, "what": what}
    if claimed and what:
        message = _(
            "“%(name)s” is named like a %(claimed)s file but is really %(what)s. "
            "Only PDF, JPEG and PNG files can be uploaded."
        )
    elif claimed:
        message = _(
            "“%(name)s” is named like a %(claimed)s file but its content is not one. "
            "Only PDF, JPEG and PNG files can be uploaded."
        )
    elif what:
        message = _(
            "“%(name)s” is %(what)s. Only PDF, JPEG and PNG files can be uploaded: "
            "save or scan the report as one of these."
        )
    else:
        message = _(
            "“%(name)s” is not a PDF, JPEG or PNG file. Only these can be uploaded: "
            "save or scan the report as one of them."
        )
    return message % values
