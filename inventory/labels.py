"""Plain-language labels for every stored code: the one place the web pages, the handout screen's
catalogue and the reports take them from.

Labels are English message ids. ``N_`` only marks them for extraction (Babel's ``-k N_``); pages
translate at render time, and the funder workbook prints them as they are.
"""


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it here."""
    return message


ENCOUNTER_TYPE_LABELS = {
    "site": N_("Fixed site"), "outreach": N_("Street outreach"), "mobile": N_("Mobile unit"),
    "delivery": N_("Delivery or mail"), "peer": N_("Peer distribution"),
}
REFERRAL_LABELS = {
    "treatment_moud": N_("Treatment / MOUD"), "medical": N_("Medical care"),
    "wound_care": N_("Wound care"), "hiv_hcv_testing": N_("HIV/HCV testing"),
    "prep_pep": N_("PrEP/PEP"), "housing": N_("Housing"), "mental_health": N_("Mental health"),
    "other": N_("Other"),
}
AGE_RANGE_LABELS = {
    "under_18": N_("Under 18"), "18_24": N_("18–24"), "25_29": N_("25–29"), "30_34": N_("30–34"),
    "35_39": N_("35–39"), "40_44": N_("40–44"), "45_49": N_("45–49"), "50_54": N_("50–54"),
    "55_59": N_("55–59"), "60_64": N_("60–64"), "65_plus": N_("65 and over"),
    "declined": N_("Declined to answer"),
    "older_25_34": N_("25–34 (recorded in an older band)"),
    "older_35_44": N_("35–44 (recorded in an older band)"),
    "older_45_54": N_("45–54 (recorded in an older band)"),
    "older_55_64": N_("55–64 (recorded in an older band)"),
}
NHBS_AGE_LABELS = {
    "18_24": N_("18–24"), "25_29": N_("25–29"), "30_39": N_("30–39"), "40_49": N_("40–49"),
    "50_plus": N_("50 and over"),
}
GENDER_LABELS = {
    "woman": N_("Woman"), "man": N_("Man"), "transgender": N_("Transgender"),
    "nonbinary": N_("Nonbinary"), "other": N_("Another gender"),
    "declined": N_("Declined to answer"),
}
RACE_ETHNICITY_LABELS = {
    "american_indian_alaska_native": N_("American Indian or Alaska Native"), "asian": N_("Asian"),
    "black": N_("Black or African American"), "hispanic_latino": N_("Hispanic or Latino/a/e"),
    "native_hawaiian_pacific_islander": N_("Native Hawaiian or Pacific Islander"),
    "white": N_("White"), "multiracial": N_("Multiracial"), "other": N_("Another race or ethnicity"),
    "declined": N_("Declined to answer"),
}
CATEGORY_LABELS = {
    "syringe": N_("Syringes"), "naloxone": N_("Naloxone kits"),
    "fentanyl_test_strip": N_("Fentanyl test strips"),
    "xylazine_test_strip": N_("Xylazine test strips"), "condom": N_("Condoms and lubricant"),
    "smoking_kit": N_("Safer smoking/snorting kits"), "injection_supply": N_("Injection supplies"),
    "wound_care": N_("Wound care"), "other": N_("Other"),
}
SITE_KIND_LABELS = {
    "fixed": N_("Fixed"), "mobile": N_("Mobile"), "pharmacy": N_("Pharmacy"), "peer": N_("Peer"),
    "warehouse": N_("Warehouse"),
}
ACTIVITY_LABELS = {
    "community_relations": N_("Community relations"), "law_enforcement": N_("Law enforcement"),
    "training": N_("Training"), "other": N_("Other"),
}
REASON_LABELS = {
    "expired": N_("Expired"), "damaged": N_("Damaged"), "lost": N_("Lost"), "found": N_("Found"),
    "count_variance": N_("Count variance"), "transfer_shortfall": N_("Transfer shortfall"),
    "other": N_("Other (note required)"),
}

LABELS = {
    "encounter_type": ENCOUNTER_TYPE_LABELS, "referral": REFERRAL_LABELS,
    "age_range": AGE_RANGE_LABELS, "gender": GENDER_LABELS,
    "race_ethnicity": RACE_ETHNICITY_LABELS, "category": CATEGORY_LABELS,
    "reason": REASON_LABELS, "nhbs_age": NHBS_AGE_LABELS, "site_kind": SITE_KIND_LABELS,
    "activity": ACTIVITY_LABELS,
}


def label(kind: str, code: str | None) -> str:
    """The plain label of ``code`` among ``kind`` codes; an unknown code is shown as it is."""
    if code is None:
        return ""
    return LABELS[kind].get(code, code)
