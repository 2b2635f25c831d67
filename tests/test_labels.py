"""Every stored code has a plain label, in one place."""
import pytest

from inventory.activity.models import EVENT_KINDS
from inventory.catalog.models import ITEM_CATEGORIES, SITE_KINDS
from inventory.encounters.models import ENCOUNTER_TYPES, REFERRAL_TYPES
from inventory.labels import LABELS, label
from inventory.participants.models import GENDERS, RACE_ETHNICITIES, STORED_AGE_RANGES
from inventory.stock.seed import STANDARD_REASONS


@pytest.mark.parametrize("kind, codes", [
    ("encounter_type", ENCOUNTER_TYPES), ("referral", REFERRAL_TYPES), ("age_range", STORED_AGE_RANGES),
    ("gender", GENDERS), ("race_ethnicity", RACE_ETHNICITIES), ("category", ITEM_CATEGORIES),
    ("reason", [code for code, _, _ in STANDARD_REASONS]), ("site_kind", SITE_KINDS),
    ("activity", EVENT_KINDS),
])
def test_every_code_has_a_plain_label(kind, codes):
    assert set(LABELS[kind]) == set(codes)
    for code in codes:
        text = label(kind, code)
        assert text and "_" not in text and text != code


def test_unknown_code_shows_as_it_is():
    assert label("gender", "recorded_elsewhere") == "recorded_elsewhere"
    assert label("gender", None) == ""
