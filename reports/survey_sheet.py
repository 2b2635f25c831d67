"""The Survey sheet: point-in-time survey responses of the period, by answer, suppressed like
every count of people. Each question's answers (skipped included) add up to the number of
responses, which is also on the Summary: they are lines of the suppression plan."""
from sqlalchemy import case, func, select

from inventory.labels import N_, label
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES
from reports.linkage import SURVEY, survey_where

RESPONSES = ("linkage", "survey_responses")
SKIPPED = "skipped"
SOME, NONE = "some", "none"
COUNT_LABELS = {NONE: N_("None"), SOME: N_("1 or more"), SKIPPED: N_("Skipped")}
QUESTIONS = [
    ("own_overdoses_3m", N_("Own overdoses in the last 3 months"), (NONE, SOME)),
    ("reversals_witnessed", N_("Overdose reversals witnessed"), (NONE, SOME)),
    ("age_range", N_("Age range"), AGE_RANGES),
    ("gender", N_("Gender"), GENDERS),
    ("race_ethnicity", N_("Race / ethnicity"), RACE_ETHNICITIES),
]
TOTALS = [("own_overdoses_3m", N_("Overdoses reported (respondents' own, last 3 months)")),
          ("reversals_witnessed", N_("Overdose reversals witnessed (total)"))]


def _bucket(column):
    return case((column.is_(None), SKIPPED), (column > 0, SOME), else_=NONE)


def survey_counts(conn, period, site_ids) -> dict:
    """{(question, answer): responses} and {("sum", question): total} for the period."""
    own, rev = SURVEY.c.own_overdoses_3m, SURVEY.c.reversals_witnessed
    columns = [_bucket(own), _bucket(rev), SURVEY.c.age_range, SURVEY.c.gender,
               SURVEY.c.race_ethnicity]
    rows = conn.execute(select(*columns, func.count(), func.coalesce(func.sum(own), 0),
                               func.coalesce(func.sum(rev), 0))
                        .where(*survey_where(period, site_ids)).group_by(*columns)).all()
    counts: dict = {}
    for row in rows:
        n = int(row[5])
        for (question, *_), answer in zip(QUESTIONS, row[:5]):
            key = (question, answer or SKIPPED)
            counts[key] = counts.get(key, 0) + n
        for index, (question, _) in enumerate(TOTALS):
            counts[("sum", question)] = counts.get(("sum", question), 0) + int(row[6 + index])
    return counts


def plan_cells(plan, counts: dict) -> None:
    for question, _, answers in QUESTIONS:
        cells = [("survey", question, a) for a in (*answers, SKIPPED)]
        for cell in cells:
            plan.add(cell, counts.get(cell[1:], 0))
        plan.line(cells, RESPONSES)
    for question, _ in TOTALS:
        plan.add(("survey", "sum", question), counts.get(("sum", question), 0))


def _answer_label(question: str, answer: str) -> str:
    if answer in COUNT_LABELS and (answer == SKIPPED or question in ("own_overdoses_3m",
                                                                      "reversals_witnessed")):
        return COUNT_LABELS[answer]
    return label(question, answer)


def survey_rows(counts: dict, responses: int, hidden: set, mark: str) -> list[dict]:
    """Rows (Question, Answer, Responses) of the Survey sheet, responses first."""
    def shown(cell, value):
        return mark if cell in hidden else value

    rows = [{"Question": "All questions", "Answer": "Responses",
             "Responses": shown(RESPONSES, responses)}]
    for question, title, answers in QUESTIONS:
        for answer in (*answers, SKIPPED):
            cell = ("survey", question, answer)
            rows.append({"Question": title, "Answer": _answer_label(question, answer),
                         "Responses": shown(cell, counts.get((question, answer), 0))})
    for question, title in TOTALS:
        cell = ("survey", "sum", question)
        rows.append({"Question": title, "Answer": "Total reported",
                     "Responses": shown(cell, counts.get(("sum", question), 0))})
    return rows
