"""Forty intakes as a caseworker's queue holds them in an ordinary week, each with what the resident wrote.

Written by hand, in the record's current form (docs/application.md): mostly working households with one
large medical or school bill, some already on 低保, a few who earn too much, grandparents raising
grandchildren, an older person alone. Residents write in Mandarin, in English and in Cantonese (in
traditional and in simplified characters); most write a line about their bills, some nothing at all.
Ten say something a caseworker must act on at once (no food, eviction, in hospital now, nobody to care
for a dependent, water or power cut off, thoughts of ending their life): `says` names it. Others use the
same words without meaning a crisis now (a hospital stay last year, a fear of next year's rent, "we are
not going hungry"), so a scorer that only spots words is caught out.
"""
from __future__ import annotations

from typing import Any

DISTRICTS = ("yuexiu", "haizhu", "liwan", "tianhe", "baiyun", "huangpu", "panyu", "huadu", "nansha", "conghua", "zengcheng")

# (people besides the applicant as (relationship, age, flags), applicant's flags, assistance,
#  yearly income by source, financial assets, property owned, yearly spending by kind, sudden event,
#  what the resident wrote, the crisis it states or None)
WEEK: tuple[tuple[Any, ...], ...] = (
    # -- working households with a medical bill ------------------------------------------------------
    ([("spouse", 41, []), ("child", 12, ["student"])], ["serious_illness"], "none",
     {"wages": 62000}, 18000, [], {"medical": 48000}, False,
     "我去年查出肾病，每周透析三次，医保报销后自己还要付不少。爱人在工厂上班，孩子读初中。", None),
    ([("spouse", 38, ["serious_illness"]), ("child", 9, ["student"])], [], "none",
     {"wages": 71000}, 25000, [], {"medical": 56000}, False,
     "老婆乳腺癌化疗，去年住院三次，现在在家休养，每个月还要复查吃药。", None),
    ([("spouse", 55, [])], ["serious_illness"], "none",
     {"wages": 45000}, 8000, [], {"medical": 39000}, False,
     "My husband and I both work at a restaurant. I had heart surgery in March and the bills are still coming.", None),
    ([("spouse", 47, []), ("child", 19, ["student"]), ("parent", 76, ["serious_illness"])], [], "temporary",
     {"wages": 88000}, 30000, [], {"medical": 42000, "education": 9000}, False,
     "家婆中风咗两年，要长期食药复诊，仔仔读紧大学，两份人工都唔够使。", None),
    ([("spouse", 36, []), ("child", 4, [])], [], "none",
     {"wages": 76000}, 42000, [], {"medical": 31000}, False,
     "", None),
    ([("child", 15, ["student"])], ["serious_illness"], "none",
     {"wages": 38000}, 6000, [], {"medical": 45000}, False,
     "单亲妈妈，自己有红斑狼疮，在超市做收银。孩子吃饭还可以，就是药费越来越贵。", None),
    ([("spouse", 60, ["disability"])], [], "none",
     {"wages": 30000, "pension": 26000}, 15000, [], {"medical": 22000, "rehabilitation": 12000}, False,
     "老伴脑梗后偏瘫，我一边打零工一边照顾他，康复训练费用很高。", None),
    ([("spouse", 44, []), ("child", 16, ["student"]), ("child", 10, ["student"])], ["disability"], "none",
     {"wages": 68000}, 12000, ["motorcycle"], {"medical": 26000, "education": 7000}, False,
     "工伤后右手残疾，换了份看仓库的工作，工资少了一半。", None),
    ([("spouse", 52, [])], [], "none",
     {"wages": 59000}, 35000, [], {"medical": 61000}, True,
     "九月份骑电动车摔伤，做了两次手术，现在已经出院了，但还不能上班。", None),
    ([("parent", 81, ["serious_illness"])], [], "none",
     {"wages": 54000}, 20000, [], {"medical": 33000}, False,
     "I look after my mother, she has dementia and diabetes. I work part time so I can be home with her.", None),
    ([("spouse", 33, []), ("child", 2, ["serious_illness"])], [], "none",
     {"wages": 83000}, 16000, [], {"medical": 72000}, False,
     "女儿先天性心脏病，去年在广州做了手术，今年还要再做一次，家里积蓄都花完了。", None),
    ([("spouse", 49, ["unemployed"]), ("child", 20, ["student"])], ["serious_illness"], "none",
     {"wages": 51000}, 9000, [], {"medical": 37000, "education": 8000}, False,
     "我係肝癌病人，要定期標靶治療，老公失業半年，個女讀緊大專。", None),
    # -- school bills --------------------------------------------------------------------------------
    ([("spouse", 45, []), ("child", 18, ["student"]), ("child", 14, ["student"])], [], "none",
     {"wages": 72000}, 14000, [], {"education": 21000}, False,
     "两个孩子读书，大的今年考上大学，学费住宿费一下子要一万多。", None),
    ([("child", 17, ["student"])], [], "none",
     {"wages": 46000}, 5000, [], {"education": 9000, "basic_living": 12000}, False,
     "离婚后一个人带孩子，孩子读高三。担心明年房租涨价，现在还住得下去。", None),
    ([("spouse", 39, []), ("child", 8, ["student"]), ("child", 6, ["student"])], [], "none",
     {"wages": 95000}, 40000, ["car"], {"education": 16000}, False,
     "Two kids in primary school, the after-school care is expensive. We are managing but it is tight.", None),
    ([("grandchild", 13, ["student"])], ["elderly_alone"], "none",
     {"pension": 21000}, 3000, [], {"education": 3000, "basic_living": 9000}, False,
     "孙子父母在外地打工很少寄钱回来，我带着孙子过，年纪大了身体也不好。", None),
    ([("spouse", 50, []), ("child", 21, ["student"])], [], "dibao_edge",
     {"wages": 40000}, 7000, [], {"education": 12000}, False,
     "仔仔讀緊大學，學費同住宿費好貴，我哋兩公婆做清潔工。", None),
    # -- already on 低保 -------------------------------------------------------------------------------
    ([("child", 11, ["student"])], ["disability"], "dibao",
     {"other": 4000}, 2000, [], {"medical": 9000}, False,
     "已经领低保，想问问还能不能申请医疗救助。", None),
    ([], ["serious_illness"], "dibao",
     {}, 1500, [], {"medical": 15000}, False,
     "有低保，但是看病的钱还是不够，想申请临时救助。", None),
    ([("spouse", 63, ["disability"])], [], "dibao",
     {"pension": 8000}, 4000, [], {"rehabilitation": 6000}, False,
     "", None),
    ([("spouse", 58, [])], ["disability"], "dibao_edge",
     {"wages": 26000}, 6000, [], {"medical": 11000}, False,
     "低保边缘户，家里水电费每个月要三百多，冬天还好。", None),
    ([("child", 7, ["student"])], [], "dibao",
     {"transfers": 6000}, 800, [], {"basic_living": 14000}, False,
     "On 低保 since last year. My ex-husband stopped sending money for our son.", None),
    # -- earn or own too much ------------------------------------------------------------------------
    ([("spouse", 43, []), ("child", 12, ["student"])], [], "none",
     {"wages": 210000}, 260000, ["car"], {"medical": 18000}, False,
     "想了解一下大病医疗有没有补助。", None),
    ([("spouse", 40, [])], [], "none",
     {"wages": 168000, "business": 40000}, 150000, ["second_home"], {"medical": 25000}, False,
     "", None),
    ([("spouse", 36, []), ("child", 5, [])], [], "none",
     {"wages": 190000}, 90000, [], {"education": 30000}, False,
     "We are not going hungry or anything, just want to know if any subsidy covers kindergarten fees.", None),
    ([("spouse", 61, [])], [], "none",
     {"pension": 96000}, 320000, ["non_residential"], {"medical": 12000}, False,
     "退休了，有间铺租出去，问下医疗费能不能报。", None),
    # -- older people, grandparents, sudden events ---------------------------------------------------
    ([], ["elderly_alone", "serious_illness"], "none",
     {"pension": 16000}, 12000, [], {"medical": 14000}, False,
     "老伴走了以后一个人住，高血压糖尿病，每个月药费七八百。", None),
    ([("grandchild", 9, ["student"]), ("grandchild", 6, [])], ["serious_illness"], "temporary",
     {"pension": 24000, "transfers": 3000}, 2000, [], {"medical": 18000, "education": 4000}, False,
     "我同老公湊住兩個孫，佢哋阿爸坐緊監，阿媽唔知去咗邊。", None),
    ([("spouse", 46, []), ("child", 15, ["student"])], [], "none",
     {"wages": 58000}, 11000, [], {"other": 20000}, True,
     "十月份出租屋着火，东西都烧没了，现在暂时住在亲戚家。", None),
    ([], ["elderly_alone"], "none",
     {"pension": 19000}, 30000, [], {"basic_living": 10000}, False,
     "I live alone, my children are abroad. Mostly I need help with the bills and getting to the clinic.", None),
    # -- they say something that cannot wait -------------------------------------------------------
    ([("spouse", 42, ["unemployed"]), ("child", 10, ["student"]), ("child", 7, ["student"])], [], "none",
     {"wages": 24000}, 300, [], {"medical": 16000}, False,
     "老公工地受伤后没了工作，家里已经断粮了，孩子三天没吃饱饭。", "no_food"),
    ([("child", 9, ["student"])], [], "none",
     {"wages": 30000}, 1200, [], {"basic_living": 18000}, False,
     "房東話月尾要收返間屋，我哋兩仔乸就嚟冇地方住，欠咗三個月租。", "eviction"),
    ([("spouse", 57, ["serious_illness"])], [], "none",
     {"wages": 42000}, 5000, [], {"medical": 52000}, False,
     "老公脑出血现在还在ICU抢救，医院催我交押金，我一个人不知道怎么办。", "hospitalised"),
    ([("parent", 84, ["disability"])], ["serious_illness"], "none",
     {"pension": 30000}, 8000, [], {"medical": 28000}, False,
     "I have to go into hospital for surgery next week and there is no one to look after my father, he cannot walk.", "no_carer"),
    ([("spouse", 64, [])], ["disability"], "dibao_edge",
     {"pension": 22000}, 600, [], {"basic_living": 11000, "medical": 9000}, False,
     "交唔起电费，上个礼拜俾人停咗电，屋企冇热水冲凉，老公又病。", "utilities"),
    ([("child", 14, ["student"])], ["serious_illness"], "none",
     {"wages": 28000}, 900, [], {"medical": 41000}, False,
     "病了这么久，欠了一身债，有时候真的不想活了，只是放心不下孩子。", "self_harm"),
    ([("spouse", 35, []), ("child", 3, [])], [], "none",
     {"wages": 36000}, 200, [], {"medical": 9000}, False,
     "We ran out of food two days ago and my husband's wages have not been paid since September.", "no_food"),
    ([("spouse", 68, ["serious_illness"])], ["elderly_alone"], "none",
     {"pension": 25000}, 4000, [], {"medical": 36000}, False,
     "老公住緊院，醫生話要做手術，我自己七十歲，屋企冇人幫手。", "hospitalised"),
    ([("child", 16, ["student"])], [], "none",
     {"wages": 33000}, 2500, [], {"education": 6000, "basic_living": 15000}, True,
     "The landlord changed the locks on Friday, we were evicted and are sleeping at a friend's place.", "eviction"),
    ([("spouse", 48, []), ("child", 17, ["student"])], ["serious_illness"], "temporary",
     {"wages": 47000}, 3000, [], {"medical": 38000}, False,
     "成日覺得自己拖累晒屋企人，唔想再生存落去。", "self_harm"),
)


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "estimated": False}


def _person(n: int, index: int, relationship: str, age: int, flags: list[str]) -> dict[str, Any]:
    person = {"relationship": relationship, "name": f"成员{n}-{index}", "id_number": f"4401{n:02d}{2026 - age}0101{index:02d}1X",
              "age": age, "disability_grade": "none", "flags": flags}
    if relationship in ("parent", "sibling", "grandparent", "grandchild"):
        person["lives_together"] = True
    if relationship == "child" and age >= 18 and "student" in flags:
        person["study_level"] = "undergraduate_or_below"
    return person


def intake(n: int) -> dict[str, Any]:
    """The n-th intake of the week (from 1), as the dialog files it."""
    people, flags, assistance, income, financial, owned, spending, sudden, situation, _ = WEEK[n - 1]
    kinds = [*spending, *(["sudden"] if sudden else [])]
    return {
        "consent": True,
        "applicant": {"name": f"申请人{n}", "id_number": f"4401{n:02d}19700101{n:03d}X", "age": 56,
                      "phone": f"+86139{n:08d}", "district": DISTRICTS[n % len(DISTRICTS)], "address": f"某街{n}号",
                      "flags": list(flags), "disability_grade": "none"},
        "members": [_person(n, i, *p) for i, p in enumerate(people)],
        "assistance": assistance,
        "income": {"sources": list(income), **{k: money(v) for k, v in income.items()}},
        "assets": {"financial": money(financial), "owned": list(owned)},
        "spending": {"kinds": kinds, **{k: money(v) for k, v in spending.items()},
                     **({"sudden_date": "2026-10-15"} if sudden else {})},
        "situation": situation,
    }


def week() -> list[dict[str, Any]]:
    """All forty, in the order they arrived."""
    return [intake(n) for n in range(1, len(WEEK) + 1)]


def says(n: int) -> str | None:
    """The crisis the n-th resident's words state, as read by a person, or None."""
    return WEEK[n - 1][-1]
