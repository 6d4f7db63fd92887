"""From the rows of a receipt to its fields: labels found, values taken, amounts checked against each other."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from intake.receipts.lines import Row
from intake.receipts.money import capital_amount, cents, figures
from intake.receipts.receipt import MEDICAL, Item, Receipt

# a label, then an optional colon; the earliest name in each tuple wins when several are printed
SELF_PAY = ("个人现金支付", "现金支付", "个人自付金额", "个人自付", "自付金额", "个人支付金额", "个人负担")
INSURANCE = {
    "pooled_fund": ("统筹基金支付", "基本医疗保险统筹基金支付", "统筹基金", "医保统筹支付", "统筹支付"),
    "personal_account": ("个人账户支付", "个人帐户支付", "个人账户", "个人帐户", "医保个账支付"),
    "serious_illness": ("大病保险支付", "大病保险", "大额医疗支付"),
    "medical_assistance": ("医疗救助支付", "医疗救助基金支付", "医疗救助"),
    "other": ("其他基金支付", "其他支付", "其它支付", "补充医疗保险支付"),
}
TOTAL = ("价税合计", "金额合计", "费用合计", "费用总额", "医疗费总额", "总金额", "应收金额", "应缴金额",
         "合计金额", "合计", "总计", "实收金额")
DATE = ("开票日期", "收费日期", "结算日期", "缴费日期", "交款日期", "打印日期", "日期")
PAYER = ("交款人", "缴款人", "缴费人", "患者姓名", "病人姓名", "学生姓名", "购买方名称", "姓名")
ISSUER = ("收款单位", "开票单位", "收费单位", "医疗机构名称", "医疗机构", "销售方名称", "学校名称", "药店名称",
          "收款人单位")
NUMBER = ("发票号码", "票据号码", "收据号")
NOT_TOTAL = re.compile(r"小计|大写")
ITEM_HEADER = re.compile(r"项目名称|项目|药品名称|商品名称|品名|收费项目|名称")
ALL_LABELS = SELF_PAY + TOTAL + DATE + PAYER + ISSUER + tuple(n for names in INSURANCE.values() for n in names) \
    + ("个人自费", "自费", "医保类型", "医保类别", "门诊号", "住院号", "科室", "票据号码", "票据代码", "校验码",
       "收款人", "复核人", "开票人", "业务流水号", "性别", "年龄", "社会保障卡号", "交易流水号", "支付方式",
       "备注", "入院日期", "出院日期", "住院日期", "住院天数", "预交金额", "补缴金额", "退费金额", "班级",
       "学号", "收据号", "统一社会信用代码", "纳税人识别号", "规格", "数量", "单价", "金额")
_COLON = r"\s*[:：]?\s*"
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(20\d{2})(\d{2})(\d{2})(?!\d)")
_HOLDER = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff（）()·]{1,40}")
_ISSUER_WORD = re.compile(r"医院|卫生院|卫生服务中心|诊所|门诊部|药房|药店|大药房|药业|学校|学院|中学|小学|幼儿园|大学")
_TITLE_TAIL = re.compile(r"(门诊|住院|医疗|收费|电子|结算|专用|统一|财政|通用|增值税|普通|票据|发票|收据|清单|（|\().*$")


def _places(rows: list[Row], labels: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """Where `labels` are printed, the preferred label first: row index, label, text after it."""
    for label in labels:
        for index, row in enumerate(rows):
            text = row.text
            for found in re.finditer(re.escape(label), text):
                at = found.start()
                before = text[max(0, at - 2):at]
                if label in ("合计", "日期", "姓名", "账户", "医疗救助") and re.search(r"[\u3400-\u9fff]$", before) \
                        and not before.endswith(("计", "额")):
                    continue  # part of a longer label (小计, 入院日期, 个人账户): not this one
                if label in TOTAL and NOT_TOTAL.search(text[max(0, at - 2):at + len(label)]):
                    continue
                yield index, label, text[at + len(label):]


def _find(rows: list[Row], labels: tuple[str, ...]) -> tuple[int, str, str] | None:
    return next(_places(rows, labels), None)


def _until_next_label(text: str) -> str:
    """A value runs until the next label printed on the same row."""
    text = re.sub(r"^\s*([（(][^）)]{0,8}[）)])?" + _COLON, "", text)  # 收款单位（章）：
    cut = len(text)
    for label in ALL_LABELS:
        at = text.find(label)
        if 0 < at < cut:
            cut = at
    return text[:cut].strip()


def _below(rows: list[Row], index: int, label: str) -> str:
    """In a table, a label heads a column and its value is in the row beneath, under it."""
    if index + 1 >= len(rows):
        return ""
    head = next((s for s in rows[index].segments if label in re.sub(r"\s", "", s.text)), None)
    if head is None:
        return ""
    under = [s for s in rows[index + 1].segments if s.x0 < head.x1 and s.x1 > head.x0]
    return " ".join(s.text for s in under)


def _amount(rows: list[Row], labels: tuple[str, ...]) -> tuple[Decimal | None, float, int | None]:
    """The first labelled figure: beside its label, else under it; a label with no figure is passed over."""
    first = None
    for index, label, after in _places(rows, labels):
        first = index if first is None else first
        amounts = figures(_until_next_label(after)) or figures(_below(rows, index, label))
        if amounts:
            return abs(amounts[0]), rows[index].score, index
    return None, 0.0, first


def _date(rows: list[Row]) -> tuple[str | None, float]:
    found = _find(rows, DATE)
    candidates = []
    if found:
        index, _, after = found
        candidates.append((after, rows[index].score))
    candidates += [(row.text, row.score * 0.8) for row in rows if not re.search("入院|出院|住院日期|至", row.text)]
    for text, score in candidates:
        for match in _DATE.finditer(text):
            year, month, day = (match.group(1), match.group(2), match.group(3)) if match.group(1) \
                else (match.group(4), match.group(5), match.group(6))
            try:
                return date(int(year), int(month), int(day)).isoformat(), score
            except ValueError:
                continue
    return None, 0.0


def _name(rows: list[Row], labels: tuple[str, ...]) -> tuple[str | None, float]:
    found = _find(rows, labels)
    if not found:
        return None, 0.0
    index, label, after = found
    value = _until_next_label(after)
    held = _HOLDER.match(value) or _HOLDER.match(_until_next_label(_below(rows, index, label)))
    return (held.group().rstrip("（("), rows[index].score) if held else (None, 0.0)


def _number(rows: list[Row]) -> tuple[str | None, float]:
    """The receipt's own number: letters and digits after its label, at least six of them."""
    found = _find(rows, NUMBER)
    if not found:
        return None, 0.0
    index, _, after = found
    held = re.match(r"[A-Za-z0-9]{6,30}", re.sub(r"\s", "", _until_next_label(after)))
    return (held.group(), rows[index].score) if held else (None, 0.0)


def _kind(rows: list[Row]) -> str:
    text = "".join(row.text for row in rows)
    if re.search("住院", text):
        return "inpatient"
    if re.search("门诊|急诊", text):
        return "outpatient"
    if re.search("药房|药店|药业|零售|医药", text):
        return "pharmacy"
    if re.search("学校|学费|学杂费|学院|中学|小学|幼儿园|大学|教育收费|保教费", text):
        return "school"
    if re.search("医疗|医院|卫生院|医保|统筹|诊所", text):
        return "outpatient"  # a medical bill that does not say 住院 is, in practice, a visit's bill
    return "other"


def _issuer(rows: list[Row]) -> tuple[str | None, float]:
    named, score = _name(rows, ISSUER)
    if named:
        return named, score
    for row in rows[:4]:  # the title often names the issuer: 广州市某某医院门诊收费票据
        for segment in row.segments:
            text = re.sub(r"\s", "", segment.text)
            if _ISSUER_WORD.search(text):
                head = text[:_ISSUER_WORD.search(text).end()] if _TITLE_TAIL.search(text) else text
                return head, segment.score * 0.8
    return None, 0.0


def _items(rows: list[Row], stop: int | None) -> list[Item]:
    header = next((i for i, row in enumerate(rows) if ITEM_HEADER.search(row.text) and
                   re.search("金额|费用|价", row.text)), None)
    if header is None:
        return []
    items = []
    for row in rows[header + 1:stop]:
        text = row.text
        if any(label in text for label in ALL_LABELS if len(label) > 2) or re.search("小计|合计", text):
            continue
        # a name starts with at least two Chinese characters; its amount is the last figure before the next
        # OCR may run a name into its figure (西药费123.40) or start it with letters (B超费, CT检查)
        for chunk in re.finditer(r"([A-Za-z]{0,3}[\u3400-\u9fff][\u3400-\u9fff（）()A-Za-z0-9.*/%\-]*?[\u3400-\u9fff）)])"
                                 r"\s*(?=[\d¥])(.*?)(?=\s+[A-Za-z]{0,3}[\u3400-\u9fff]{2}|$)", text):
            amounts = figures(chunk.group(2))
            if amounts:
                items.append(Item(chunk.group(1).strip(), amounts[-1]))
    return items


def read_fields(rows: list[Row], *, source: str = "ocr") -> Receipt:
    """All fields of a receipt from its rows; amounts cross-checked (大写, insurance + own share, items)."""
    receipt = Receipt(source=source, kind=_kind(rows))
    conf = receipt.confidence
    receipt.issuer, conf["issuer"] = _issuer(rows)
    receipt.payer, conf["payer"] = _name(rows, PAYER)
    receipt.date, conf["date"] = _date(rows)
    receipt.number, score = _number(rows)
    if receipt.number:
        conf["number"] = score
    total, conf["total"], total_row = _amount(rows, TOTAL)
    for name, labels in INSURANCE.items():
        amount, score, _ = _amount(rows, labels)
        if amount is not None:
            receipt.insurance[name] = amount
            conf[f"insurance.{name}"] = score
    self_pay, conf["self_pay"], _ = _amount(rows, SELF_PAY)
    capital = next((c for c in (capital_amount(row.text) for row in rows) if c is not None), None)
    receipt.items = _items(rows, total_row)
    item_sum = cents(sum((i.amount for i in receipt.items), Decimal(0))) if receipt.items else None
    paid = (self_pay or 0) + sum(receipt.insurance.values(), Decimal(0)) if receipt.insurance else None

    # the 大写 figure is printed for exactly this check: where they differ, trust the one something else backs
    witnesses = [w for w in (capital, item_sum, paid) if w is not None]
    if total is not None and capital is not None and total != capital:
        backed = [c for c in (total, capital) if c in (item_sum, paid)]
        total = backed[0] if backed else total
        conf["total"] = 0.8 if backed else 0.3
    elif total is None and witnesses:
        total, conf["total"] = witnesses[0], 0.6
    elif total is not None and total in witnesses:
        conf["total"] = max(conf["total"], 0.99)
    receipt.total = total

    rest = total - sum(receipt.insurance.values(), Decimal(0)) if total is not None and receipt.insurance else None
    if self_pay is not None and rest is not None:
        conf["self_pay"] = 0.99 if self_pay == rest else min(conf["self_pay"], 0.5)
    elif self_pay is None and rest is not None and receipt.kind in MEDICAL:
        self_pay, conf["self_pay"] = rest, 0.5
    receipt.self_pay = self_pay
    if total is None and self_pay is None:
        receipt.problem = "no_amount"
    return receipt
