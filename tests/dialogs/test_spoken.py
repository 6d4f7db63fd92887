"""Numbers, amounts and dates written out the way a resident hears them read aloud."""
from __future__ import annotations

import pytest

from dialogs.spoken import chinese_number, spoken


@pytest.mark.parametrize("number, words", [
    (0, "零"), (2, "二"), (10, "十"), (15, "十五"), (20, "二十"), (105, "一百零五"), (110, "一百一十"),
    (1009, "一千零九"), (1309, "一千三百零九"), (10000, "一万"), (10500, "一万零五百"), (100010, "十万零一十"),
    (2_000_000, "二百万"), (1_0000_0001, "一亿零一"), (-36, "负三十六"),
])
def test_whole_numbers_in_chinese_words(number, words):
    assert chinese_number(number) == words


@pytest.mark.parametrize("text, heard", [
    ("1,309 元", "一千三百零九 元"),
    ("自付1,309元，报销3500.5元", "自付一千三百零九元，报销三千五百点五元"),
    ("2026-12-07 起施行", "二零二六年十二月七日 起施行"),
    ("2026年3月1日", "二零二六年三月一日"),
    ("2025年的收入", "二零二五年的收入"),
    ("按50%计算", "按百分之五十计算"),
    ("手机号13800138000", "手机号一三八零零一三八零零零"),
    ("身份证44010419781105221X", "身份证四四零一零四一九七八一一零五二二一X"),
    ("区号020", "区号零二零"),
    ("没有数字的问题？", "没有数字的问题？"),
])
def test_chinese_text_is_read_with_numbers_as_words(text, heard):
    assert spoken(text, "zh") == heard
    assert spoken(text, "yue") == heard


@pytest.mark.parametrize("text, heard", [
    ("In force from 2026-12-07.", "In force from 7 December 2026."),
    ("Call 13800138000", "Call 1 3 8 0 0 1 3 8 0 0 0"),
    ("You paid 1,309 yuan", "You paid 1,309 yuan"),
])
def test_english_dates_and_long_digit_runs(text, heard):
    assert spoken(text, "en") == heard
