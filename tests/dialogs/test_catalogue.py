"""One lookup and one fallback rule for every text table of the product."""
from __future__ import annotations

import pytest

from bot.phone import texts as phone
from dialogs.catalogue import LOCALES, Catalogue, language
from dialogs.texts import t as resident
from intake.charity import texts as charity
from intake.console import texts as console
from intake import urgency
from intake.eligibility import texts as eligibility
from knowledge import texts as knowledge

CATALOGUES = {"resident": resident, "console": console.text, "phone": phone.text, "eligibility": eligibility.text,
              "charity": charity.text, "knowledge": knowledge.text, "urgency": urgency.text}
SMALL = Catalogue({"zh": {"hello": "你好，{name}", "only_zh": "只有中文"}, "en": {"hello": "Hello, {name}"}})


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_catalogue_has_every_text_in_every_language(name):
    catalogue = CATALOGUES[name]
    assert set(catalogue) == set(LOCALES)
    assert set(catalogue["zh"]) == set(catalogue["en"])
    # a text left empty on purpose (nothing to say there) is empty in every language
    assert all(bool(catalogue["zh"][key].strip()) == bool(catalogue["en"][key].strip()) for key in catalogue["zh"])


def test_the_language_of_a_locale_decides_and_an_unknown_language_reads_chinese():
    assert SMALL("en-GB", "hello", name="Ann") == "Hello, Ann"
    assert SMALL("EN_us", "hello", name="Ann") == "Hello, Ann"
    assert SMALL("fr", "hello", name="安") == "你好，安"
    assert SMALL(None, "hello", name="安") == "你好，安"
    assert language("zh-Hant-HK") == "zh"


def test_a_missing_text_falls_back_to_chinese_then_the_default_then_the_key():
    assert SMALL("en", "only_zh") == "只有中文"
    assert SMALL("en", "nowhere", "fallback") == "fallback"
    assert SMALL("en", "nowhere") == "nowhere"
    assert SMALL.template("en", "nowhere", None) is None
    assert SMALL.knows("only_zh") and not SMALL.knows("nowhere")


def test_a_field_not_given_stays_visible_instead_of_breaking_the_page():
    assert SMALL("zh", "hello") == "你好，{name}"
    assert SMALL("zh", "hello", other=1) == "你好，{name}"


def test_pairs_read_as_chinese_and_english():
    pairs = Catalogue.from_pairs({"save": ("保存", "Save")})
    assert (pairs("zh", "save"), pairs("en", "save")) == ("保存", "Save")


def test_a_catalogue_needs_its_chinese_table():
    with pytest.raises(ValueError):
        Catalogue({"en": {"a": "b"}})
