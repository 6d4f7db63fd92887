"""Figures and 大写 amounts."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from intake.receipts.money import capital_amount, figures, to_capital


@given(st.integers(min_value=0, max_value=99_999_999_99))
def test_capital_form_reads_back_to_the_same_cents(cents):
    amount = Decimal(cents) / 100
    assert capital_amount("合计（大写）" + to_capital(amount)) == amount


def test_capital_forms_as_printed():
    assert capital_amount("人民币叁佰肆拾叁元玖角整") == Decimal("343.90")
    assert capital_amount("壹万元零伍分") == Decimal("10000.05")
    assert capital_amount("贰万伍仟零捌拾元肆角") == Decimal("25080.40")
    assert capital_amount("个人现金支付") is None


def test_figures_take_thousands_separators_and_skip_codes():
    assert figures("合计 1,234.50 元  ¥88.00  编号A123") == [Decimal("1234.50"), Decimal("88.00")]
    assert figures("金额：343。90") == [Decimal("343.90")]
