"""Issue 15, point 4: five-year age bands. Migration 0013 keeps an old ten-year value that
fits one new band and marks one that spans two as "recorded in an older band"; the NHBS bands
are sums of the new bands; the encounter API takes only the new bands."""
from sqlalchemy import text

from flask_migrate import downgrade, upgrade

from inventory import create_app
from inventory.extensions import db as _db
from inventory.labels import label
from inventory.participants.models import (AGE_RANGES, NHBS_AGE_BANDS, OLDER_AGE_RANGES,
                                           STORED_AGE_RANGES)
from reports.age_bands import NHBS_DIMENSION, OLDER_BAND_LABEL, nhbs_counts
from tests.api_helpers import assert_problem, bearer, encounter_body

OLD_VALUES = ["under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "declined", None]


def test_migration_maps_old_bands(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ages.db'}",
                      "TESTING": True, "SECRET_KEY": "k", "PARTICIPANT_CODE_SECRET": "p",
                      "SQLITE_CHECKPOINT_INTERVAL": 0, "AUTO_UPGRADE_SQLITE": False})
    with app.app_context():
        upgrade(revision="0010")
        for index, value in enumerate(OLD_VALUES):
            _db.session.execute(text(
                "INSERT INTO participant (code_hash, first_seen_at, age_range) "
                "VALUES (:h, '2026-01-01 00:00:00', :a)"), {"h": f"{index:064d}", "a": value})
        _db.session.commit()
        upgrade(revision="0013")
        stored = [row[0] for row in _db.session.execute(text(
            "SELECT age_range FROM participant ORDER BY code_hash"))]
        assert stored == ["under_18", "18_24", "older_25_34", "older_35_44", "older_45_54",
                          "older_55_64", "65_plus", "declined", None]
        assert set(stored) - {None} <= set(STORED_AGE_RANGES)
        _db.session.commit()
        downgrade(revision="0010")
        back = [row[0] for row in _db.session.execute(text(
            "SELECT age_range FROM participant ORDER BY code_hash"))]
        assert back == OLD_VALUES
        _db.session.remove()
        _db.engine.dispose()


def test_old_and_federal_bands_are_sums_of_the_new_ones():
    five_year = [b for b in AGE_RANGES if b not in ("under_18", "declined")]
    assert five_year == ["18_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54", "55_59",
                         "60_64", "65_plus"]
    # Each NHBS band is a sum of new bands, each new adult band in exactly one NHBS band.
    members = [band for parts in NHBS_AGE_BANDS.values() for band in parts]
    assert sorted(members) == sorted(five_year)
    # Each old ten-year band spanning two new bands is the sum of those two.
    for older in OLDER_AGE_RANGES:
        low, high = (int(x) for x in older.removeprefix("older_").split("_"))
        assert f"{low}_{low + 4}" in AGE_RANGES and f"{low + 5}_{high}" in AGE_RANGES
        assert label("age_range", older).endswith("(recorded in an older band)")


def test_nhbs_regrouping_worked_by_hand():
    counts = {"18_24": 3, "25_29": 4, "30_34": 5, "35_39": 6, "40_44": 1, "45_49": 2,
              "50_54": 7, "60_64": 1, "65_plus": 2, "older_25_34": 8, "older_55_64": 9,
              "declined": 10, "not_recorded": 11, "under_18": 1}
    rows = {value: n for dim, value, n in nhbs_counts(counts, "not_recorded", "Not recorded")}
    assert all(dim == NHBS_DIMENSION for dim, *_ in nhbs_counts(counts, "x", "y"))
    assert rows == {"Under 18": 1, "18–24": 3, "25–29": 4, "30–39": 5 + 6, "40–49": 1 + 2,
                    # 50+: 50-54, 60-64, 65+, and the older 55-64 (inside 50+ whole)
                    "50 and over": 7 + 1 + 2 + 9,
                    OLDER_BAND_LABEL: 8,  # 25-34 spans 25-29 and 30-39
                    "Declined to answer": 10, "Not recorded": 11}
    assert sum(rows.values()) == sum(counts.values())


def test_the_api_takes_only_the_new_bands(client, make_site):
    make_site("AGE")
    headers = bearer("staff", sites=["AGE"])
    body = encounter_body("AGE", [], participant_code="AB0101X", age_range="25_34",
                          referrals=["medical"])
    assert_problem(client.post("/api/v1/encounters", headers=headers, json=body), 422,
                   "age_range")
    body["age_range"] = "30_34"
    assert client.post("/api/v1/encounters", headers=headers, json=body).status_code == 201
    config = client.get("/api/v1/handout-config", headers=headers).get_json()
    assert [c["code"] for c in config["demographics"]["age_range"]] == list(AGE_RANGES)
