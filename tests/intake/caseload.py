"""A realistic mix of 40 applications, as a caseworker's queue holds them on an ordinary week.

Drawn once with a fixed seed: most households are working poor with one large medical or schooling
bill; a few are in crisis (no income, a sudden event, children without parents, an elderly person
alone); some already receive 低保; some earn too much for any help.
"""
from __future__ import annotations

import random
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = ("秀英", "建国", "美玲", "志强", "丽华", "海燕", "国平", "小红", "伟", "芳", "敏", "静", "磊", "洋", "婷", "军")
DISTRICTS = ("yuexiu", "haizhu", "liwan", "tianhe", "baiyun", "huangpu", "panyu", "huadu", "nansha", "conghua", "zengcheng")
RELATIONS = ("spouse", "child", "parent", "grandchild")


def money(amount: int, estimated: bool = False) -> dict[str, Any]:
    return {"amount": amount, "estimated": estimated}


def application(rng: random.Random, n: int) -> dict[str, Any]:
    """One household: its people, income, assets, spending and situation."""
    kind = rng.choices(("working_poor", "crisis", "on_dibao", "comfortable"), weights=(24, 5, 6, 5))[0]
    size = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    members = []
    for index in range(size - 1):
        relation = rng.choice(RELATIONS)
        age = {"child": rng.randint(3, 30), "grandchild": rng.randint(2, 16), "parent": rng.randint(60, 88)}.get(
            relation, rng.randint(30, 60))
        flags = [f for f, p in (("serious_illness", 0.08), ("disability", 0.08), ("unemployed", 0.15),
                                ("student", 0.2 if age < 23 else 0)) if rng.random() < p]
        members.append({"relationship": relation, "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                        "id_number": f"4401{n:02d}19{60 + index}0101{index:02d}1X", "age": age,
                        "disability_grade": "none", "flags": flags})
    applicant_flags = [f for f, p in (("serious_illness", 0.25), ("disability", 0.1)) if rng.random() < p]
    wages = {"working_poor": rng.randint(40000, 110000), "crisis": rng.choice((0, 0, 6000)),
             "on_dibao": rng.randint(0, 12000), "comfortable": rng.randint(150000, 260000)}[kind]
    financial = {"working_poor": rng.randint(2000, 60000), "crisis": rng.randint(0, 3000),
                 "on_dibao": rng.randint(0, 5000), "comfortable": rng.randint(80000, 400000)}[kind]
    bill = {"working_poor": rng.randint(8000, 70000), "crisis": rng.randint(20000, 150000),
            "on_dibao": rng.randint(3000, 30000), "comfortable": rng.randint(5000, 40000)}[kind]
    category = rng.choice(("medical", "medical", "education", "rehabilitation", "basic_living"))
    if kind == "crisis" and rng.random() < 0.5:
        # grandparents raising grandchildren, or an elderly person alone
        members = [{"relationship": "grandchild", "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "id_number": f"4401{n:02d}201501010{n % 10}1", "age": rng.randint(5, 14),
                    "disability_grade": "none", "flags": ["student"]}] if rng.random() < 0.5 else []
        applicant_flags.append("elderly_alone" if not members else "serious_illness")
    surname = rng.choice(SURNAMES)
    return {
        "consent": True,
        "applicant": {"name": surname + rng.choice(GIVEN), "id_number": f"4401{n:02d}19800101{n:03d}X",
                      "phone": f"+86139{n:08d}", "district": rng.choice(DISTRICTS), "address": f"某街{n}号",
                      "flags": applicant_flags, "disability_grade": "none"},
        "members": members,
        "assistance": {"on_dibao": rng.choice(("dibao", "dibao_edge")), "crisis": "none"}.get(
            kind, rng.choice(("none", "none", "none", "temporary"))),
        "income": {"wages": money(wages), "business": money(0), "pension": money(rng.choice((0, 0, 18000))),
                   "transfers": money(0), "other": money(0)},
        "assets": {"financial": money(financial, estimated=rng.random() < 0.3),
                   "homes": 1 if kind == "comfortable" or rng.random() < 0.5 else 0,
                   "vehicles": 1 if kind == "comfortable" and rng.random() < 0.6 else 0,
                   "business_registered": False},
        "expenses": [{"category": category, "amount": money(bill), "note": "", "receipts": []}],
        "sudden_event": kind == "crisis" and rng.random() < 0.6,
        "situation": "",
    }


def caseload(count: int = 40, seed: int = 20261130) -> list[dict[str, Any]]:
    """`count` applications of the mix, always the same ones."""
    rng = random.Random(seed)
    return [application(rng, n) for n in range(1, count + 1)]
