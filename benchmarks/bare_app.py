"""The baseline for the throughput benchmark: a bare Flask + Flask-SQLAlchemy endpoint that inserts one
row per POST. No auth, no validation, no ledger. Same database settings as the real app (SQLite in WAL
with ``synchronous=NORMAL`` and a busy timeout; or PostgreSQL through psycopg 3).

Run: ``BARE_DATABASE_URL=sqlite:////tmp/bare.db gunicorn -w 2 'benchmarks.bare_app:app'``.
"""
import json
import os
from datetime import UTC, datetime

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Row(Base):
    __tablename__ = "bare_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["BARE_DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            @event.listens_for(db.engine, "connect")
            def _pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA busy_timeout = 30000")
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
                cursor.close()
        db.create_all()  # idempotent; the harness creates the table before starting workers

    @app.post("/rows")
    def insert_row():
        payload = request.get_json()
        db.session.add(Row(client_id=payload["client_id"], body=json.dumps(payload),
                           created_at=datetime.now(UTC)))
        db.session.commit()
        return {"ok": True}, 201

    @app.get("/rows/count")
    def count_rows():
        return {"count": db.session.query(Row).count()}

    return app


app = create_app()
