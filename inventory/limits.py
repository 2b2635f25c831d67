"""Input limits shared by schemas and services."""
# Largest quantity accepted on one line; anything above is a typo, not a handout or shipment.
MAX_QUANTITY = 100_000
# Largest count of people or events on one encounter (returns, secondary people, reversals).
MAX_PEOPLE = 1_000
# How far ahead of the server clock an occurred_at may be (device clock skew).
CLOCK_SKEW_SECONDS = 300
# Heaviest returns weighed at one visit, in pounds (a full 1-gallon sharps container is ~5 lb).
MAX_WEIGHT_LB = 500
