"""Made-up but plausible receipt contents: issuers, payers, dates, items and amounts that add up."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

SURNAMES = "陈李黄张梁刘林何吴罗郑谢冯邓曾彭许苏蔡叶"
GIVEN = "志伟秀英国华建明丽芳桂兰文杰海燕金凤德胜淑珍永强美玲家豪少雄惠敏振宇"
HOSPITALS = ["广州市第一人民医院", "广东省人民医院", "中山大学附属第三医院", "广州市番禺区中心医院",
             "佛山市南海区人民医院", "广州医科大学附属第二医院", "广州市白云区人和镇卫生院",
             "广州市天河区石牌街社区卫生服务中心", "南方医科大学南方医院", "广州市花都区人民医院"]
PHARMACIES = ["大参林医药集团股份有限公司广州分店", "老百姓大药房", "采芝林药业有限公司", "健民大药房",
              "海王星辰健康药房", "广州医药大药房"]
SCHOOLS = ["广州市第六中学", "广州市海珠区实验小学", "广州城市职业学院", "广州市番禺区市桥中心幼儿园",
           "广州市第八十九中学", "广东轻工职业技术学院"]
OUTPATIENT_ITEMS = ["西药费", "中成药费", "中草药费", "检查费", "化验费", "治疗费", "诊查费", "卫生材料费", "放射费"]
INPATIENT_ITEMS = ["床位费", "护理费", "西药费", "中成药费", "检查费", "化验费", "治疗费", "手术费", "麻醉费",
                   "输血费", "输氧费", "卫生材料费", "诊查费", "放射费", "B超费", "心电图", "CT检查",
                   "磁共振", "病理检查", "康复治疗", "膳食费", "一般诊疗费", "注射费", "监护费"]
MEDICINES = ["阿莫西林胶囊", "布洛芬缓释胶囊", "复方甘草片", "维生素C片", "苯磺酸氨氯地平片", "二甲双胍缓释片",
             "阿托伐他汀钙片", "感冒灵颗粒", "板蓝根颗粒", "医用纱布", "血糖试纸", "奥美拉唑肠溶胶囊"]
SCHOOL_ITEMS = ["学费", "住宿费", "书本费", "校服费", "作业本费", "保教费", "伙食费", "课本费"]


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass
class Truth:
    """The fields a receipt really carries, as the reader should give them back."""

    layout: str
    kind: str
    issuer: str
    payer: str
    date: str
    total: Decimal
    self_pay: Decimal | None
    insurance: dict[str, Decimal] = field(default_factory=dict)
    items: list[tuple[str, Decimal]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # layout details (quantities, stay dates) not checked

    def as_dict(self) -> dict:
        money = lambda v: None if v is None else float(v)  # noqa: E731
        return {"layout": self.layout, "kind": self.kind, "issuer": self.issuer, "payer": self.payer,
                "date": self.date, "total": money(self.total), "self_pay": money(self.self_pay),
                "insurance": {k: money(v) for k, v in self.insurance.items()},
                "items": [{"name": n, "amount": money(a)} for n, a in self.items]}


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def day(rng: random.Random) -> date:
    return date(2025, 12, 1) + timedelta(days=rng.randrange(0, 330))


def amounts(rng: random.Random, names: list[str], low: float, high: float) -> list[tuple[str, Decimal]]:
    return [(name, cents(rng.uniform(low, high))) for name in names]


def medical_split(rng: random.Random, total: Decimal, *, inpatient: bool) -> tuple[dict[str, Decimal], Decimal]:
    """Insurance shares and the resident's cash share; they add up to the total."""
    insurance: dict[str, Decimal] = {}
    if rng.random() < 0.15:
        return insurance, total  # uninsured or self-paid visit: everything in cash
    insurance["pooled_fund"] = cents(total * Decimal(str(rng.uniform(0.4, 0.8 if inpatient else 0.6))))
    insurance["personal_account"] = cents(min(total - insurance["pooled_fund"],
                                              Decimal(str(rng.choice((0, 0, 12.5, 30, rng.uniform(1, 80)))))))
    if inpatient and rng.random() < 0.6:
        insurance["serious_illness"] = cents((total - sum(insurance.values())) * Decimal("0.3"))
    if inpatient and rng.random() < 0.4:
        insurance["medical_assistance"] = cents((total - sum(insurance.values())) * Decimal("0.2"))
    return insurance, total - sum(insurance.values())
