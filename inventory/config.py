"""Configuration. Everything secret or deployment-specific comes from the environment."""
import os


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
