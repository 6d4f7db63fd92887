"""Fields from rows of text, without the OCR engine: labels, tables, and the cross-checks."""
from __future__ import annotations

from decimal import Decimal

from intake.receipts.fields import read_fields
from intake.receipts.lines import Segment, rows


def page(*lines: str | tuple[tuple[float, str], ...], angle: float = 0.0) -> list:
    """Rows from lines of text; a tuple of (x, text) pieces places them in columns."""
    segments = []
    for number, line in enumerate(lines):
        pieces = line if isinstance(line, tuple) else ((0.0, line),)
        for x, text in pieces:
            y = number * 40 + x * angle
            segments.append(Segment(text, x, y, x + 20 * len(text), y + 24, 0.97, angle, 24))
    return rows(segments)


def test_outpatient_fields_and_confidence():
    receipt = read_fields(page("广东省医疗收费票据（电子）", "交款人：陈志强  开票日期：2026-03-12",
                               "项目名称 金额(元)", "西药费 123.40", "检查费 250.00",
                               "合计（大写）叁佰柒拾叁元肆角整 （小写）373.40",
                               "医保统筹基金支付：29.50 个人账户支付：0.00 个人现金支付：343.90",
                               "收款单位（章）：广州市第一人民医院"))
    assert (receipt.kind, receipt.issuer, receipt.payer, receipt.date) == \
        ("outpatient", "广州市第一人民医院", "陈志强", "2026-03-12")
    assert (receipt.total, receipt.self_pay) == (Decimal("373.40"), Decimal("343.90"))
    assert receipt.insurance == {"pooled_fund": Decimal("29.50"), "personal_account": Decimal("0.00")}
    assert [i.name for i in receipt.items] == ["西药费", "检查费"]
    assert receipt.confidence["total"] >= 0.97 and receipt.confidence["self_pay"] >= 0.97


def test_values_under_their_column_headings_on_a_tilted_photo():
    receipt = read_fields(page("某某医院住院收费票据", "合计：1,000.00",
                               ((0, "统筹基金支付"), (300, "大病保险支付"), (600, "个人现金支付")),
                               ((0, "600.00"), (300, "100.00"), (600, "300.00")),
                               "结算日期：2026年2月10日", angle=0.03))
    assert receipt.kind == "inpatient" and receipt.date == "2026-02-10"
    assert receipt.insurance == {"pooled_fund": Decimal("600.00"), "serious_illness": Decimal("100.00")}
    assert receipt.self_pay == Decimal("300.00") and receipt.confidence["self_pay"] >= 0.97


def test_a_misread_total_is_corrected_by_the_capital_amount_the_shares_back():
    receipt = read_fields(page("门诊收费票据", "合计（大写）叁佰柒拾叁元肆角整 （小写）378.40",
                               "统筹基金支付：29.50  个人现金支付：343.90", "日期：2026/03/12"))
    assert receipt.total == Decimal("373.40") and receipt.confidence["total"] < 0.97


def test_shares_that_do_not_add_up_lower_the_confidence():
    receipt = read_fields(page("门诊收费票据", "合计：373.40", "统筹基金支付：29.50  个人现金支付：348.90"))
    assert receipt.self_pay == Decimal("348.90") and receipt.confidence["self_pay"] <= 0.5


def test_a_receipt_without_any_amount_is_a_problem_not_a_guess():
    receipt = read_fields(page("门诊收费票据", "交款人：陈志强"))
    assert receipt.problem == "no_amount" and receipt.total is None and not receipt.readable


def test_item_lines_as_ocr_gives_them():
    receipt = read_fields(page("药品名称 数量 单价 金额", "西药费123.40  检查费 250.00", "B超费  1  465.52  465.52",
                               "阿莫西林胶囊(0.25g*24粒) 2 23.50 47.00", "合计：885.92"))
    assert [(i.name, str(i.amount)) for i in receipt.items] == [
        ("西药费", "123.40"), ("检查费", "250.00"), ("B超费", "465.52"), ("阿莫西林胶囊(0.25g*24粒)", "47.00")]
    assert receipt.confidence["total"] >= 0.97  # the items add up to the total
