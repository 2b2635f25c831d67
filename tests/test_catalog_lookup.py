"""Code look-ups: the site and its items in one query give the rows the single look-ups give."""
import pytest

from inventory.catalog.lookup import items_by_code, site_and_items, site_by_code
from inventory.errors import InvalidInput


def test_site_and_items_match_the_single_lookups(db, make_site):
    make_site("AAA"), make_site("BBB")
    site, items = site_and_items("AAA", ["SYR-1ML-28G", "NOPE", "COOKER", "SYR-1ML-28G"])
    assert site == site_by_code("AAA")
    assert items == items_by_code(["SYR-1ML-28G", "COOKER"])
    assert sorted(items) == ["COOKER", "SYR-1ML-28G"]  # unknown codes absent, repeats once
    assert items["COOKER"].active is True and isinstance(items["COOKER"].pack_size, int)


def test_site_and_items_without_known_items_or_codes(db, make_site):
    make_site("AAA")
    assert site_and_items("AAA", ["NOPE"]) == (site_by_code("AAA"), {})
    assert site_and_items("AAA", []) == (site_by_code("AAA"), {})


def test_site_and_items_returns_an_inactive_site(db, make_site):
    make_site("AAA").active = False
    db.session.flush()
    site, _ = site_and_items("AAA", ["COOKER"])
    assert site.code == "AAA" and site.active is False


@pytest.mark.parametrize("codes", [["COOKER"], []])
def test_site_and_items_refuses_an_unknown_site(db, codes):
    with pytest.raises(InvalidInput) as refused:
        site_and_items("NOWHERE", codes)
    assert refused.value.field == "site"
