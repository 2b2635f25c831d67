"""Indicator names, labels and the definitions printed on the Notes sheet."""
from inventory.catalog.models import ITEM_CATEGORIES
from inventory.encounters.models import REFERRAL_TYPES
from inventory.labels import CATEGORY_LABELS, REFERRAL_LABELS
from reports.suppression import SUPPRESSED_MARK

# key, label, counts people (suppressed), definition
_BASE = [
    ("encounters", "Encounters", True,
     "Handout visits recorded in the period, voided ones excluded."),
    ("unique_participants", "Unique participants", True,
     "Distinct participant codes (by hash) among the period's encounters. Encounters without a "
     "code are not in this count; they are counted apart. A participant seen at two sites or in "
     "two months counts once in each, so site and month figures may add up to more than the "
     "total."),
    ("new_participants", "New participants", True,
     "Participants whose first non-void encounter ever falls in the period (attributed to the "
     "site and month of that first encounter)."),
    ("uncoded_encounters", "Encounters without a participant code", True,
     "Encounters recorded without an anonymous participant code."),
    ("syringes_distributed", "Syringes distributed", False,
     "Units of items in the syringe category handed out (net of voided handouts)."),
    ("syringes_returned", "Syringes returned", False,
     "Syringes returned at encounters, counted or estimated."),
    ("return_ratio", "Syringe return ratio", False,
     "Syringes returned divided by syringes distributed (blank when none were distributed)."),
    ("naloxone_kits", "Naloxone kits distributed", False,
     "Units of items in the naloxone category handed out."),
    ("naloxone_doses", "Naloxone doses distributed", False,
     "Naloxone kits handed out times each item's doses per unit (a twin pack is 2 doses)."),
    ("naloxone_used", "Naloxone kits used (reported)", True,
     "Naloxone kits participants reported using since their last visit."),
    ("reversals_reported", "Overdose reversals reported", True,
     "Overdose reversals participants reported at encounters."),
    ("fentanyl_test_strips", "Fentanyl test strips distributed", False,
     "Units of items in the fentanyl test strip category handed out."),
    ("xylazine_test_strips", "Xylazine test strips distributed", False,
     "Units of items in the xylazine test strip category handed out."),
    ("condoms", "Condoms and lubricant distributed", False,
     "Units of items in the condom category (external and internal condoms, lubricant)."),
    ("smoking_kits", "Safer smoking/snorting kits distributed", False,
     "Units of items in the smoking kit category handed out."),
    ("secondary_people", "People reached through secondary distribution", True,
     "People participants said they were supplying (peer / secondary distribution)."),
]
INDICATORS = _BASE + [
    (f"referral_{kind}", f"Referrals: {REFERRAL_LABELS[kind]}", True,
     f"Encounters at which a referral was given: {REFERRAL_LABELS[kind]}.")
    for kind in REFERRAL_TYPES
]
LABELS = {key: label for key, label, _, _ in INDICATORS}
PERSON_KEYS = [key for key, _, person, _ in INDICATORS if person]
# Supply indicator -> item category it sums.
CATEGORY_OF = {
    "syringes_distributed": "syringe", "naloxone_kits": "naloxone",
    "fentanyl_test_strips": "fentanyl_test_strip", "xylazine_test_strips": "xylazine_test_strip",
    "condoms": "condom", "smoking_kits": "smoking_kit",
}
CATEGORY_COLUMNS = {cat: f"Distributed: {CATEGORY_LABELS[cat]}" for cat in ITEM_CATEGORIES}


def suppression_rule(threshold: int) -> str:
    return (f"Counts of people and of person-events (participants, encounters, demographics, "
            f"reported overdose reversals and kits used, secondary reach, referrals) from 1 to "
            f"{threshold - 1} are hidden and shown as {SUPPRESSED_MARK}. Secondary suppression: "
            f"wherever a total is shown - on the same sheet or another one (the Summary's program "
            f"totals are also the Total rows of By site and By month, and the demographic "
            f"breakdowns add up to the Summary's unique participants) - no hidden cell is the only "
            f"hidden cell of its row or column; the next smallest cell is hidden too, until that "
            f"holds. Such a cell may hold any count, large or small, and shows the same "
            f"{SUPPRESSED_MARK}. Every figure that is shown is exact, totals included. Zero is "
            f"shown as 0. Supply quantities are never suppressed.")
