"""Every encounter figure of a report in TWO statements, each reading the period's encounters once.

The report runs them at the same time on two connections (:mod:`reports.parallel`). In each, a
CTE ``pe`` holds the period's non-void encounters (id, site, month bucket, participant and the
reported counts); both SQLite and PostgreSQL materialise a CTE that is used more than once. A
``UNION ALL`` of small aggregates over it returns rows tagged by kind:

- ``stats``   (site, month): encounters, without a code, returned, secondary, kits used, reversals
- ``u_site`` / ``u_month`` / ``u_total``: distinct participants with a code
- ``ref``     (site, month, referral type): encounters with that referral
- ``model`` / ``model_syr`` (site, encounter type): encounters, and syringes handed out at them
  (service model)
- ``demo``    (key "age|gender|race"): participants served, per combination of demographics
- ``new``     (site, month): participants whose first non-void encounter ever is in the period -
  the first encounter per participant inside the period (``row_number``), kept when no earlier
  non-void encounter exists anywhere.
"""
import pandas as pd
from sqlalchemy import Integer, String, and_, case, cast, distinct, exists, func, literal, null
from sqlalchemy import or_, select, union_all

from reports.periods import Period
from reports.queries import ENC, ENC_ITEM, ITEM, PART, REF, encounters_where, month_bucket

COLUMNS = ["kind", "site_id", "month", "key", "n1", "n2", "n3", "n4", "n5", "n6"]
STATS = ["encounters", "uncoded_encounters", "syringes_returned", "secondary_people",
         "naloxone_used", "reversals_reported"]


def _row(kind: str, site, month, key, *numbers):
    numbers = list(numbers) + [literal(0)] * (6 - len(numbers))
    return [literal(kind, String).label("kind"),
            cast(site, Integer) if site is not None else cast(null(), Integer),
            cast(month, Integer) if month is not None else cast(null(), Integer),
            cast(key, String) if key is not None else cast(null(), String), *numbers]


def _demo_key():
    parts = [func.coalesce(PART.c.age_range, ""), func.coalesce(PART.c.gender, ""),
             func.coalesce(PART.c.race_ethnicity, "")]
    return parts[0] + literal("|") + parts[1] + literal("|") + parts[2]


def _demographics(frame: pd.DataFrame) -> pd.DataFrame:
    rows = [(*(v or None for v in key.split("|")), int(n))
            for key, n in zip(frame["key"], frame["n1"])]
    return pd.DataFrame(rows, columns=["age_range", "gender", "race_ethnicity", "participants"])


def _pieces(period: Period, site_ids):
    pe = select(ENC.c.id, ENC.c.site_id, month_bucket(ENC.c.occurred_at, period).label("month"),
                ENC.c.occurred_at, ENC.c.participant_id, ENC.c.encounter_type,
                ENC.c.syringes_returned,
                ENC.c.secondary_people, ENC.c.naloxone_used, ENC.c.reversals_reported
                ).where(*encounters_where(ENC, period, site_ids)).cte("pe")
    seen = select(pe.c.site_id, pe.c.month, pe.c.participant_id).where(
        pe.c.participant_id.is_not(None)).distinct().cte("seen")
    return pe, seen


def counts_statement(period: Period, site_ids):
    """Rows ``stats``, ``u_site``, ``u_month``, ``u_total``, ``ref`` and ``model``."""
    pe, seen = _pieces(period, site_ids)
    uncoded = case((pe.c.participant_id.is_(None), 1), else_=0)
    people = func.count(distinct(seen.c.participant_id))
    return union_all(
        select(*_row("stats", pe.c.site_id, pe.c.month, None, func.count(), func.sum(uncoded),
                     func.sum(pe.c.syringes_returned), func.sum(pe.c.secondary_people),
                     func.sum(pe.c.naloxone_used), func.sum(pe.c.reversals_reported))
               ).group_by(pe.c.site_id, pe.c.month),
        select(*_row("u_site", seen.c.site_id, None, None, people)).group_by(seen.c.site_id),
        select(*_row("u_month", None, seen.c.month, None, people)).group_by(seen.c.month),
        select(*_row("u_total", None, None, None, people)),
        select(*_row("ref", pe.c.site_id, pe.c.month, REF.c.referral_type, func.count())
               ).select_from(pe.join(REF, REF.c.encounter_id == pe.c.id)).group_by(
            pe.c.site_id, pe.c.month, REF.c.referral_type),
        select(*_row("model", pe.c.site_id, None, pe.c.encounter_type, func.count())).group_by(
            pe.c.site_id, pe.c.encounter_type),
        select(*_row("model_syr", pe.c.site_id, None, pe.c.encounter_type,
                     func.sum(ENC_ITEM.c.quantity))).select_from(
            pe.join(ENC_ITEM, ENC_ITEM.c.encounter_id == pe.c.id).join(
                ITEM, ITEM.c.id == ENC_ITEM.c.item_id)).where(
            ITEM.c.category == "syringe").group_by(pe.c.site_id, pe.c.encounter_type))


def people_statement(period: Period, site_ids):
    """Rows ``demo`` and ``new``."""
    pe, seen = _pieces(period, site_ids)
    ranked = select(pe.c.id, pe.c.site_id, pe.c.month, pe.c.participant_id, pe.c.occurred_at,
                    func.row_number().over(partition_by=pe.c.participant_id,
                                           order_by=(pe.c.occurred_at, pe.c.id)).label("rn")
                    ).where(pe.c.participant_id.is_not(None)).subquery("ranked")
    earlier = ENC.alias("earlier")
    # "Earlier" is (occurred_at, id) before the ranked one's. (An index on (participant_id,
    # occurred_at) was tried for this look-back: no measurable gain, so the write path is spared.)
    first_ever = ~exists().where(
        earlier.c.participant_id == ranked.c.participant_id, earlier.c.voided_at.is_(None),
        earlier.c.occurred_at <= ranked.c.occurred_at,
        or_(earlier.c.occurred_at < ranked.c.occurred_at,
            and_(earlier.c.occurred_at == ranked.c.occurred_at, earlier.c.id < ranked.c.id)))
    return union_all(
        select(*_row("demo", None, None, _demo_key(), func.count())).where(
            PART.c.id.in_(select(seen.c.participant_id))).group_by(
            PART.c.age_range, PART.c.gender, PART.c.race_ethnicity),
        select(*_row("new", ranked.c.site_id, ranked.c.month, None, func.count())).where(
            ranked.c.rn == 1, first_ever).group_by(ranked.c.site_id, ranked.c.month))


def _rows(conn, stmt) -> list[tuple]:
    return [tuple(r) for r in conn.execute(stmt).all()]


def counts_rows(conn, period: Period, site_ids) -> list[tuple]:
    return _rows(conn, counts_statement(period, site_ids))


def people_rows(conn, period: Period, site_ids) -> list[tuple]:
    return _rows(conn, people_statement(period, site_ids))


def shape(rows: list[tuple]) -> dict[str, pd.DataFrame]:
    """The tagged rows of :func:`counts_rows` and :func:`people_rows` as frames by kind."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    out = {}
    stats = frame[frame["kind"] == "stats"]
    out["stats"] = stats[["site_id", "month", "n1", "n2", "n3", "n4", "n5", "n6"]].set_axis(
        ["site_id", "month", *STATS], axis=1).astype("int64")
    out["referrals"] = frame[frame["kind"] == "ref"][["site_id", "month", "key", "n1"]].set_axis(
        ["site_id", "month", "referral_type", "count"], axis=1)
    out["new"] = frame[frame["kind"] == "new"][["site_id", "month", "n1"]].set_axis(
        ["site_id", "month", "new_participants"], axis=1).astype("int64")
    key = ["site_id", "key"]
    models = frame[frame["kind"] == "model"][[*key, "n1"]].merge(
        frame[frame["kind"] == "model_syr"][[*key, "n1"]].rename(columns={"n1": "n2"}),
        on=key, how="left").fillna({"n2": 0})
    out["models"] = models.set_axis(["site_id", "encounter_type", "encounters", "syringes"],
                                    axis=1)
    out["demographics"] = _demographics(frame[frame["kind"] == "demo"])
    out["u_site"] = frame[frame["kind"] == "u_site"].set_index("site_id")["n1"]
    out["u_month"] = frame[frame["kind"] == "u_month"].set_index("month")["n1"]
    total = frame[frame["kind"] == "u_total"]["n1"]
    out["u_total"] = int(total.iloc[0]) if len(total) else 0
    return out
