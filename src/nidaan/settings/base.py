"""Settings shared by every role. Role modules (`node`, `hub`, `test`) import from here."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import fontpkg_noto_sans_devanagari
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NIDAAN_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

NIDAAN_ROLE = os.environ.get("NIDAAN_ROLE", "node")


def _secret_key() -> str:
    """The key comes from the environment, or is made once per data directory.

    It is never in the repository; a node keeps its own beside its database so that
    sessions survive a restart.
    """
    if key := os.environ.get("NIDAAN_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("NIDAAN_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("NIDAAN_ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("NIDAAN_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "nidaan.core",
    "nidaan.accounts",
    "nidaan.clinics",
    "nidaan.audit",
    "nidaan.patients",
    "nidaan.encounters",
    "nidaan.opd",
    "nidaan.documents",
    "nidaan.prescriptions",
    "nidaan.billing",
    "nidaan.sync",
    "nidaan.api",
    "nidaan.keys",
    "nidaan.backups",
    "nidaan.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nidaan.core.headers.ContentSecurityPolicyMiddleware",
    "nidaan.core.request_text.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nidaan.accounts.middleware.UserLanguageMiddleware",
    "nidaan.accounts.middleware.StaffSessionMiddleware",
    "nidaan.clinics.middleware.FirstRunSetupMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "nidaan.urls"
WSGI_APPLICATION = "nidaan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nidaan.clinics.context_processors.clinic",
                "nidaan.sync.context_processors.sync_status",
                "nidaan.keys.context_processors.key_protection",
            ],
        },
    }
]


# A clinic node's SQLite database is encrypted (SQLCipher) unless a developer opts out
# with NIDAAN_DB_ENCRYPTION=off, which `nidaan serve` and every page then call out as
# unprotected (docs/security.md). The hub's database is PostgreSQL's business.
NIDAAN_DB_ENCRYPTION = os.environ.get(
    "NIDAAN_DB_ENCRYPTION", "sqlcipher" if NIDAAN_ROLE == "node" else "off"
)
if NIDAAN_DB_ENCRYPTION not in ("sqlcipher", "off"):
    raise RuntimeError(
        f"NIDAAN_DB_ENCRYPTION is 'sqlcipher' or 'off', not {NIDAAN_DB_ENCRYPTION!r}"
    )


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """`DATABASE_URL` wins; otherwise the node's SQLite file in the data directory.

    SQLite is tuned for a clinic PC that loses power: WAL so readers never block the
    writer, `synchronous=FULL` so a committed visit survives a power cut, foreign keys
    enforced, a busy timeout instead of "database is locked", and IMMEDIATE
    transactions so a read-then-write action never dies upgrading its lock.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3" and NIDAAN_DB_ENCRYPTION == "sqlcipher":
        # The node's database file encrypted with SQLCipher (keys/sqlcipher/base.py).
        config["ENGINE"] = "nidaan.keys.sqlcipher"
    if config["ENGINE"] in ("django.db.backends.sqlite3", "nidaan.keys.sqlcipher"):
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    # Deleted and overwritten content is zeroed, not left in free space
                    # (an erased patient's name must not stay in the file: privacy/erasure).
                    "PRAGMA secure_delete=ON;"
                ),
            }
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The queries Nidaan makes are many small index lookups (search, sync, charts). On
        # a small hub, starting parallel workers for them costs 10–18 ms a statement, more
        # than the lookup itself (docs/benchmarks.md), so parallel plans are off unless
        # NIDAAN_PG_PARALLEL_WORKERS says otherwise.
        workers = int(os.environ.get("NIDAAN_PG_PARALLEL_WORKERS", "0"))
        options = config.setdefault("OPTIONS", {})
        setting = f"-c max_parallel_workers_per_gather={workers}"
        options["options"] = (
            f"{options['options']} {setting}" if options.get("options") else setting
        )
    return {"default": config}


DATABASES = database_from_env(DATA_DIR / "nidaan.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Minimum password rules (NIST SP 800-63B §5.1.1.2: length and a deny-list, no forced
# character classes): 8 or more characters, not a common password, not all digits, not
# the username or name.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "full_name_hi", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A shared reception PC is often left logged in: sessions end after 30 idle minutes.
SESSION_COOKIE_AGE = int(os.environ.get("NIDAAN_IDLE_TIMEOUT_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploaded lab reports and images: PDF, JPEG or PNG up to this size.
NIDAAN_MAX_UPLOAD_BYTES = int(os.environ.get("NIDAAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = NIDAAN_MAX_UPLOAD_BYTES + 1024 * 1024
# The hub's public address: printed QR codes open <this>/v/<code> (a chemist cannot
# reach a clinic PC on its LAN). Unset: the address the PDF was requested on.
NIDAAN_PUBLIC_URL = os.environ.get("NIDAAN_PUBLIC_URL", "")

# Login throttling (accounts/throttle.py): this many failures in a row lock a username for
# LOCK seconds, doubling with each further failure up to MAX_LOCK; an address is locked
# after four times as many failures within the window.
NIDAAN_LOGIN_MAX_FAILURES = 5
NIDAAN_LOGIN_WINDOW_SECONDS = 15 * 60
NIDAAN_LOGIN_LOCK_SECONDS = 5 * 60
NIDAAN_LOGIN_MAX_LOCK_SECONDS = 60 * 60

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Kolkata"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("fonts", fontpkg_noto_sans_devanagari.ROOT / "files"),
]
# Static files are served by WhiteNoise from the package itself, so a clinic PC needs no
# web server and no `collectstatic` step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # httpx logs every sync request at INFO: a busy worker would flood the log.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
