"""Optional second factor: a 6-digit code from an authenticator app (TOTP, RFC 6238).

Offered to every member of staff and recommended for admins and doctors (who can see
and change the most). The secret is sealed at rest with a key derived from the node's
master key; a code is accepted once (replay within its 30 s step is refused) and one
step of clock drift either way is allowed.
"""

from __future__ import annotations

import io
import os

import pyotp
import segno
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone

from nidaan import keys
from nidaan.accounts.models import TwoFactorDevice, User

ISSUER = "Nidaan"
_STEP = 30


def _key() -> bytes:
    return keys.derive("nidaan/totp/v1")


def _seal(secret: str, user: User) -> str:
    nonce = os.urandom(12)
    box = AESGCM(_key()).encrypt(nonce, secret.encode(), str(user.pk).encode())
    return (nonce + box).hex()


def secret_of(device: TwoFactorDevice) -> str:
    raw = bytes.fromhex(device.sealed_secret)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], str(device.user_id).encode()).decode()


def device_of(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def is_enabled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def pending_device(user: User) -> TwoFactorDevice:
    """The unconfirmed device being set up (made with a new secret if there is none)."""
    device = device_of(user)
    if device is None:
        device = TwoFactorDevice.objects.create(
            user=user, sealed_secret=_seal(pyotp.random_base32(), user)
        )
    return device


def provisioning_uri(device: TwoFactorDevice) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def qr_svg(device: TwoFactorDevice) -> str:
    """The set-up link as a QR code for the phone's camera (SVG, no script, no style)."""
    out = io.BytesIO()
    segno.make(provisioning_uri(device), error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, nl=False, light="#fff"
    )
    return out.getvalue().decode()


def accept(device: TwoFactorDevice, code: str) -> bool:
    """True (and the step remembered) when `code` is right and not used before."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(secret_of(device))
    now = int(timezone.now().timestamp())
    for drift in (0, -1, 1):
        step = now // _STEP + drift
        if step <= device.last_step:
            continue
        if totp.verify(code, for_time=step * _STEP):
            device.last_step = step
            device.save(update_fields=["last_step"])
            return True
    return False
