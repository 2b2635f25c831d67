"""Configuration. Everything secret or deployment-specific comes from the environment."""
import os


def env_flag(name: str) -> bool | None:
    """A yes/no setting from the environment: "1", "true", "yes", "on" or their opposites;
    None when unset or empty."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def _env_int(name: str, default: int = 0) -> int:
    return int(os.environ.get(name) or default)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # HMAC key for participant codes; lives outside the database (env or instance file).
    PARTICIPANT_CODE_SECRET = os.environ.get("PARTICIPANT_CODE_SECRET")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 256 * 1024))
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    # Seconds between WAL checkpoints in a web process's background thread; 0: in requests.
    SQLITE_CHECKPOINT_INTERVAL = float(os.environ.get("SQLITE_CHECKPOINT_INTERVAL", 0.2))
    AUTO_UPGRADE_SQLITE = True
    # An occurred_at older than this many days is refused unless a coordinator or admin back-dates.
    OCCURRED_AT_MAX_AGE_DAYS = int(os.environ.get("OCCURRED_AT_MAX_AGE_DAYS", 365))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: on unless the app runs in debug or testing mode (inventory.auth.sessions).
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
    # Flask-Login: "basic" marks a session not fresh when its browser or address changes;
    # "strong" ends it (a van's tablet changing mobile networks is then signed out).
    SESSION_PROTECTION = os.environ.get("SESSION_PROTECTION", "basic")
    # How many proxies in front set each X-Forwarded-* header (0: do not trust it).
    PROXY_FIX = {key: _env_int(f"PROXY_FIX_X_{key.upper()}")
                 for key in ("for", "proto", "host", "port", "prefix")}
    # Strict-Transport-Security max-age (seconds) on answers served over TLS; 0: none.
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE") or 31_536_000)
    # Sign-in throttling: shared counters in Redis when set, else per process in memory.
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_HEADERS_ENABLED = False
    # Redis down: count in this process's memory rather than refuse every sign-in.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Failed sign-ins allowed (limits syntax), per account and per client address.
    LOGIN_LIMIT_ACCOUNT = os.environ.get("LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_ADDRESS = os.environ.get("LOGIN_LIMIT_ADDRESS", "5 per minute")
    WTF_CSRF_TIME_LIMIT = None

    API_TITLE = "Outreach Supply Tracker API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            }
        },
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    }

    # Alert e-mail (``flask alerts --email``): sent only when MAIL_SERVER is set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = bool(env_flag("MAIL_USE_TLS"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER")
