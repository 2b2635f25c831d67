"""The program's recipe for building a participant code on the handout screen: an ordered list
of prompts ("first two letters of mother's first name", "birth month"…), each contributing a
fixed number of letters or digits. The screen asks them and joins the answers; the server only
ever sees the joined code, which it normalises and hashes (:mod:`inventory.participants.hashing`).

A recipe is stored in the program settings as prompt ids joined by commas.
"""
from dataclasses import dataclass

from inventory.errors import InvalidInput
from inventory.labels import N_


@dataclass(frozen=True)
class Prompt:
    id: str
    label: str     # an English message id; pages and the screen translate it
    kind: str      # "letters" or "digits"
    length: int


PROMPTS = {p.id: p for p in (
    Prompt("mother_first_name", N_("First two letters of mother's first name"), "letters", 2),
    Prompt("birth_month", N_("Birth month (2 digits)"), "digits", 2),
    Prompt("birth_day", N_("Birth day (2 digits)"), "digits", 2),
    Prompt("birth_year", N_("Last two digits of birth year"), "digits", 2),
    Prompt("last_name_initial", N_("First letter of own last name"), "letters", 1),
    Prompt("first_name_initial", N_("First letter of own first name"), "letters", 1),
    Prompt("birth_city_initial", N_("First letter of the city of birth"), "letters", 1),
)}
DEFAULT_RECIPE = ("mother_first_name", "birth_month", "birth_year", "last_name_initial")
DEFAULT_RECIPE_TEXT = ",".join(DEFAULT_RECIPE)
MIN_PARTS, MAX_PARTS = 2, 6
FIELD = "participant_code_recipe"


def check_recipe(parts) -> tuple[str, ...]:
    """``parts`` (prompt ids, blanks ignored) as a tuple. Raises InvalidInput naming
    ``participant_code_recipe`` for an unknown prompt, a prompt used twice, or fewer than
    MIN_PARTS or more than MAX_PARTS prompts."""
    chosen = tuple(p.strip() for p in parts if p and p.strip())
    for part in chosen:
        if part not in PROMPTS:
            raise InvalidInput(f"Unknown prompt {part!r} in the participant code recipe.",
                               field=FIELD)
    if len(set(chosen)) != len(chosen):
        raise InvalidInput("Each prompt may appear once in the participant code recipe.",
                           field=FIELD)
    if not MIN_PARTS <= len(chosen) <= MAX_PARTS:
        raise InvalidInput(f"A participant code recipe has {MIN_PARTS} to {MAX_PARTS} prompts.",
                           field=FIELD)
    return chosen


def parse_recipe(text: str | None) -> tuple[Prompt, ...]:
    """The prompts of a stored recipe; the default recipe when it is empty or no longer valid."""
    try:
        ids = check_recipe((text or "").split(","))
    except InvalidInput:
        ids = DEFAULT_RECIPE
    return tuple(PROMPTS[i] for i in ids)
