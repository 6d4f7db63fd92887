"""Receipt layouts as Guangdong hospitals, pharmacies and schools print them, each drawn from a Truth."""
from __future__ import annotations

import random
from decimal import Decimal

from intake.receipts.money import to_capital
from tests.receipts.sheets import ImageSheet
from tests.receipts.truth import (HOSPITALS, INPATIENT_ITEMS, MEDICINES, OUTPATIENT_ITEMS, PHARMACIES, SCHOOL_ITEMS,
                                  SCHOOLS, Truth, amounts, cents, day, medical_split, person)

INSURANCE_LABELS = {"pooled_fund": "统筹基金支付", "personal_account": "个人账户支付",
                    "serious_illness": "大病保险支付", "medical_assistance": "医疗救助支付"}


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _serial(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def stamp(sheet, x: float, y: float, text: str, r: int = 80) -> None:
    """A red round seal, printed over whatever lies beneath it."""
    if not isinstance(sheet, ImageSheet):
        return
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", sheet.image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.ellipse((x - r, y - r, x + r, y + r), outline=(220, 30, 30, 170), width=5)
    draw.regular_polygon((x, y, r // 4), 5, fill=(220, 30, 30, 170))
    from tests.receipts.sheets import font
    draw.text((x - r * 0.8, y + r * 0.3), text[:6], font=font(r // 4), fill=(220, 30, 30, 170))
    sheet.image.paste(Image.alpha_composite(sheet.image.convert("RGBA"), layer).convert("RGB"))


def gd_outpatient(rng: random.Random, sheet_type=ImageSheet, *, payer: str | None = None, when: str | None = None):
    """广东省医疗收费票据（电子）, outpatient: items in two column pairs, insurance on one line. `payer` and
    `when` (ISO date) replace the drawn ones (the rest of the receipt is drawn as without them)."""
    names = rng.sample(OUTPATIENT_ITEMS, rng.randint(2, 6))
    items = amounts(rng, names, 8, 420)
    total = sum((a for _, a in items), Decimal(0))
    insurance, own = medical_split(rng, total, inpatient=False)
    truth = Truth("gd_outpatient", "outpatient", rng.choice(HOSPITALS), person(rng), day(rng).isoformat(),
                  total, own, insurance, items)
    truth.payer, truth.date = payer or truth.payer, when or truth.date
    s = sheet_type(1240, 820)
    s.centred(30, "广东省医疗收费票据（电子）", 38)
    s.text(60, 100, f"票据代码：4406012{rng.randint(1, 9)}    票据号码：00{_serial(rng, 8)}    校验码：{_serial(rng, 6)}", 20)
    s.text(60, 140, f"交款人：{truth.payer}", 24)
    s.text(520, 140, f"开票日期：{truth.date}", 24)
    s.box(50, 185, 1190, 540)
    s.text(70, 200, "项目名称", 22); s.text(330, 200, "金额(元)", 22)
    s.text(640, 200, "项目名称", 22); s.text(900, 200, "金额(元)", 22)
    s.line(620, 185, 620, 480)
    for i, (name, amount) in enumerate(items):
        x, y = (70 if i % 2 == 0 else 640), 245 + (i // 2) * 40
        s.text(x, y, name, 22); s.text(x + 260, y, _money(amount), 22)
    s.line(50, 480, 1190, 480)
    s.text(70, 495, f"合计（大写）{to_capital(total)}", 24); s.text(780, 495, f"（小写）{_money(total)}", 24)
    s.text(60, 560, f"业务流水号：{_serial(rng, 10)}   门诊号：{_serial(rng, 8)}   医保类型：职工基本医疗保险", 20)
    parts = [f"医保统筹基金支付：{_money(insurance.get('pooled_fund', Decimal(0)))}",
             f"个人账户支付：{_money(insurance.get('personal_account', Decimal(0)))}",
             f"个人现金支付：{_money(own)}"]
    if not insurance:
        truth.insurance = {"pooled_fund": Decimal("0.00"), "personal_account": Decimal("0.00")}
    s.text(60, 605, "    ".join(parts), 22)
    s.text(60, 660, f"收款单位（章）：{truth.issuer}", 24)
    s.text(800, 660, f"收款人：{person(rng)}", 22)
    stamp(s, rng.randint(250, 450), 660, truth.issuer)
    return truth, s


def inpatient(rng: random.Random, sheet_type=ImageSheet):
    """Inpatient settlement with many lines (quantity, unit price, amount) and an insurance table."""
    names = rng.sample(INPATIENT_ITEMS, rng.randint(12, 22))
    items = []
    for name in names:
        qty = rng.choice((1, 1, 2, 3, 5, 7, 10))
        price = cents(rng.uniform(3, 900))
        items.append((name, qty, price, cents(qty * price)))
    total = sum((i[3] for i in items), Decimal(0))
    insurance, own = medical_split(rng, total, inpatient=True)
    settled = day(rng)
    truth = Truth("inpatient", "inpatient", rng.choice(HOSPITALS), person(rng), settled.isoformat(), total, own,
                  insurance, [(n, a) for n, _, _, a in items])
    from datetime import timedelta
    admitted = settled - timedelta(days=rng.randint(3, 25))
    height = 560 + 38 * len(items) + 330
    s = sheet_type(1240, height)
    s.centred(30, f"{truth.issuer}住院收费票据", 34)
    s.text(60, 95, f"患者姓名：{truth.payer}    性别：{rng.choice('男女')}    住院号：{_serial(rng, 7)}    科室：{rng.choice(['内科', '外科', '骨科', '心内科', '肿瘤科'])}", 22)
    s.text(60, 135, f"住院日期：{admitted.isoformat()}至{settled.isoformat()}    住院天数：{(settled - admitted).days}", 22)
    s.box(50, 180, 1190, 180 + 50 + 38 * len(items) + 20)
    for x, head in ((70, "项目名称"), (520, "数量"), (700, "单价"), (950, "金额")):
        s.text(x, 195, head, 22)
    y = 240
    for name, qty, price, amount in items:
        s.text(70, y, name, 21); s.text(520, y, str(qty), 21); s.text(700, y, _money(price), 21)
        s.text(950, y, _money(amount), 21)
        y += 38
    y += 30
    s.text(60, y, f"合计（大写）：{to_capital(total)}", 24); s.text(800, y, f"合计：{_money(total)}", 24)
    y += 60
    columns = [(INSURANCE_LABELS[k], v) for k, v in insurance.items()] + [("个人现金支付", own)]
    width = 1140 / len(columns)
    s.box(50, y - 10, 1190, y + 90)
    for i, (label, value) in enumerate(columns):
        s.text(60 + i * width, y, label, 20); s.text(60 + i * width, y + 45, _money(value), 22)
    y += 120
    s.text(60, y, f"结算日期：{settled.year}年{settled.month:02d}月{settled.day:02d}日", 22)
    s.text(600, y, f"收款单位：{truth.issuer}", 22)
    stamp(s, rng.randint(300, 900), y + 10, truth.issuer)
    return truth, s


def pharmacy(rng: random.Random, sheet_type=ImageSheet):
    """A narrow pharmacy till slip; insured customers pay partly from their medical insurance account."""
    names = rng.sample(MEDICINES, rng.randint(1, 5))
    lines = [(n, rng.randint(1, 3), cents(rng.uniform(4, 98))) for n in names]
    total = sum((q * p for _, q, p in lines), Decimal(0))
    when = day(rng)
    insured = rng.random() < 0.6
    insurance, own = {}, None
    if insured:
        account = cents(min(total, Decimal(str(rng.uniform(5, float(total))))))
        insurance, own = {"personal_account": account}, total - account
    truth = Truth("pharmacy", "pharmacy", rng.choice(PHARMACIES), "", when.isoformat(), total, own, insurance,
                  [(n, cents(q * p)) for n, q, p in lines])
    truth.payer = None
    s = sheet_type(620, 560 + 70 * len(lines))
    s.centred(25, truth.issuer if len(truth.issuer) < 14 else truth.issuer[:14], 30)
    if len(truth.issuer) >= 14:
        s.centred(65, truth.issuer[14:], 30)
    s.centred(110, "零售小票", 26)
    s.text(30, 160, f"日期：{when.year}/{when.month:02d}/{when.day:02d} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}", 22)
    s.text(30, 195, f"单号：{_serial(rng, 12)}   收银员：{_serial(rng, 4)}", 20)
    s.line(30, 235, 590, 235)
    s.text(30, 245, "品名", 22); s.text(300, 245, "数量", 22); s.text(390, 245, "单价", 22); s.text(490, 245, "金额", 22)
    y = 285
    for name, qty, price in lines:
        s.text(30, y, name, 22)
        s.text(310, y + 32, str(qty), 22); s.text(390, y + 32, _money(price), 22); s.text(490, y + 32, _money(qty * price), 22)
        y += 70
    s.line(30, y, 590, y)
    s.text(30, y + 15, f"合计：{_money(total)}", 26)
    if insured:
        s.text(30, y + 60, f"个人账户支付：{_money(insurance['personal_account'])}", 22)
        s.text(30, y + 95, f"现金支付：{_money(own)}", 22)
    else:
        s.text(30, y + 60, f"支付方式：{rng.choice(['微信', '支付宝', '银联卡'])}  {_money(total)}", 22)
    s.centred(y + 150, "谢谢惠顾  请保留小票", 20)
    return truth, s


def einvoice(rng: random.Random, sheet_type=ImageSheet, layout: str = "einvoice_pdf"):
    """医疗收费电子票据 as a PDF page: buyer block, item table, totals, insurance in 其他信息."""
    names = rng.sample(OUTPATIENT_ITEMS, rng.randint(2, 5))
    items = amounts(rng, names, 10, 600)
    total = sum((a for _, a in items), Decimal(0))
    insurance, own = medical_split(rng, total, inpatient=False)
    when = day(rng)
    truth = Truth(layout, "outpatient", rng.choice(HOSPITALS), person(rng), when.isoformat(), total, own, insurance,
                  items)
    s = sheet_type(1400, 860)
    s.centred(30, "医疗收费电子票据", 40)
    s.text(60, 100, f"票据代码：{_serial(rng, 8)}", 20); s.text(480, 100, f"票据号码：{_serial(rng, 10)}", 20)
    s.text(900, 100, f"开票日期：{when.year}年{when.month:02d}月{when.day:02d}日", 20)
    s.text(60, 140, f"交款人：{truth.payer}", 22); s.text(480, 140, "门诊类别：普通门诊", 20)
    s.text(900, 140, f"校验码：{_serial(rng, 6)}", 20)
    s.box(50, 180, 1350, 560)
    for x, head in ((70, "项目名称"), (420, "数量"), (560, "单位"), (700, "金额（元）"), (950, "备注")):
        s.text(x, 195, head, 22)
    for i, (name, amount) in enumerate(items):
        y = 240 + i * 40
        s.text(70, y, name, 22); s.text(420, y, "1", 22); s.text(560, y, "项", 22); s.text(700, y, _money(amount), 22)
    s.line(50, 500, 1350, 500)
    s.text(70, 515, f"金额合计（大写）{to_capital(total)}", 22); s.text(900, 515, f"（小写）¥{_money(total)}", 22)
    s.text(60, 590, "其他信息：", 22)
    info = [f"医保统筹基金支付：{_money(insurance.get('pooled_fund', Decimal(0)))}",
            f"个人账户支付：{_money(insurance.get('personal_account', Decimal(0)))}",
            f"个人现金支付：{_money(own)}"]
    if not insurance:
        truth.insurance = {"pooled_fund": Decimal("0.00"), "personal_account": Decimal("0.00")}
    s.text(60, 630, "   ".join(info), 22)
    s.text(60, 700, f"收款单位（章）：{truth.issuer}", 22); s.text(900, 700, f"复核人：{person(rng)}", 20)
    stamp(s, rng.randint(250, 500), 700, truth.issuer)
    return truth, s


def school(rng: random.Random, sheet_type=ImageSheet):
    """A school's fee receipt (学校收费收据): no insurance; the whole total is the family's spending."""
    names = rng.sample(SCHOOL_ITEMS, rng.randint(1, 4))
    items = [(n, cents(rng.choice((120, 350, 480, 600, 800, 1250, 2500, rng.uniform(50, 3000))))) for n in names]
    total = sum((a for _, a in items), Decimal(0))
    when = day(rng)
    truth = Truth("school", "school", rng.choice(SCHOOLS), person(rng), when.isoformat(), total, None, {}, items)
    s = sheet_type(1180, 700)
    s.centred(30, f"{truth.issuer}收费收据", 34)
    s.text(60, 100, f"学生姓名：{truth.payer}", 24)
    s.text(420, 100, f"班级：{rng.choice(['一', '二', '三'])}年级（{rng.randint(1, 9)}）班", 22)
    s.text(800, 100, f"No.{_serial(rng, 7)}", 22)
    s.text(60, 145, f"收费日期：{when.year}年{when.month}月{when.day}日", 22)
    s.box(50, 190, 1130, 470)
    s.text(70, 205, "收费项目", 22); s.text(500, 205, "收费标准", 22); s.text(850, 205, "金额（元）", 22)
    for i, (name, amount) in enumerate(items):
        y = 250 + i * 42
        s.text(70, y, name, 22); s.text(500, y, "按学期", 22); s.text(850, y, f"{amount:,.2f}", 22)
    s.line(50, 420, 1130, 420)
    s.text(70, 432, f"合计人民币（大写）：{to_capital(total)}", 22); s.text(850, 432, f"￥{total:,.2f}", 22)
    s.text(60, 510, f"收款单位（盖章）：{truth.issuer}", 22); s.text(800, 510, f"经办人：{person(rng)}", 22)
    stamp(s, rng.randint(250, 450), 520, truth.issuer)
    return truth, s


def outpatient_settlement(rng: random.Random, sheet_type=ImageSheet):
    """A hospital's own outpatient settlement slip: 费用总额, fund and account shares, 个人自付/自费/现金."""
    names = rng.sample(OUTPATIENT_ITEMS, rng.randint(2, 5))
    items = amounts(rng, names, 15, 380)
    total = sum((a for _, a in items), Decimal(0))
    insurance, own = medical_split(rng, total, inpatient=False)
    when = day(rng)
    truth = Truth("outpatient_settlement", "outpatient", rng.choice(HOSPITALS), person(rng), when.isoformat(), total,
                  own, insurance, items)
    if not insurance:
        truth.insurance = {"pooled_fund": Decimal("0.00"), "personal_account": Decimal("0.00")}
    s = sheet_type(1100, 780)
    s.centred(25, truth.issuer, 34)
    s.centred(75, "门诊费用结算单", 30)
    s.text(60, 135, f"姓名：{truth.payer}", 22); s.text(400, 135, f"门诊号：{_serial(rng, 9)}", 22)
    s.text(60, 175, f"结算时间：{when.year}.{when.month:02d}.{when.day:02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}", 22)
    s.line(50, 215, 1050, 215)
    s.text(70, 225, "费用项目", 22); s.text(600, 225, "金额", 22)
    for i, (name, amount) in enumerate(items):
        s.text(70, 265 + i * 38, name, 22); s.text(600, 265 + i * 38, _money(amount), 22)
    y = 265 + len(items) * 38 + 20
    s.line(50, y, 1050, y)
    s.text(70, y + 15, f"费用总额：{_money(total)}", 24)
    s.text(70, y + 60, f"统筹基金支付：{_money(insurance.get('pooled_fund', Decimal(0)))}", 22)
    s.text(560, y + 60, f"个人账户支付：{_money(insurance.get('personal_account', Decimal(0)))}", 22)
    s.text(70, y + 100, f"个人自付：{_money(own)}", 22)
    s.text(560, y + 100, "个人自费：0.00", 22)
    s.text(70, y + 140, f"个人现金支付：{_money(own)}", 24)
    s.text(70, y + 200, f"打印时间：{when.isoformat()}   操作员：{_serial(rng, 4)}", 20)
    stamp(s, rng.randint(600, 900), y + 120, truth.issuer)
    return truth, s


# layouts used while the reader was written, and layouts kept out of that loop as a held-out check
DEVELOPMENT = {"gd_outpatient": gd_outpatient, "inpatient": inpatient, "pharmacy": pharmacy,
               "einvoice_pdf": einvoice, "einvoice_scan": einvoice}
HELD_OUT = {"school": school, "outpatient_settlement": outpatient_settlement}
