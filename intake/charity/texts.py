"""Every charity-referral wording, one table per locale (zh Simplified, en)."""
from __future__ import annotations

from dialogs.catalogue import LOCALES, Catalogue
from dialogs.texts import t
from intake.eligibility.texts import amount as _amount

ZH: dict[str, str] = {
    "need.basic_living": "基本生活支出",
    "need.medical": "医疗费用",
    "need.education": "教育费用",
    "need.rehabilitation": "康复费用",
    "need.other": "其他必要支出",
    "need.serious_illness": "家人患重病",
    "need.student": "家中有学生",
    "need.unemployed": "家人失业",
    "need.elderly_alone": "老人独居",
    "need.disability": "家人有残疾",
    "need.sudden_event": "遭遇突发事件",
    "trait.registered": "本市户籍",
    "trait.not_registered": "非本市户籍居民",
    "trait.has_minor": "家中有未成年人",
    "trait.urgent": "情况较急",
    "trait.uncovered": "暂不在政府救助范围内",
    "trait.low_income": "家庭收入较低",
    "trait.children_without_parents": "孩子身边没有父母照顾",
    "reason.needs": "推荐原因：{needs}",
    "reason.any_need": "推荐原因：政府救助之外的需要都可以通过这里转介",
    "reason.required": "符合项目条件：{traits}",
    "reason.traits": "项目优先考虑：{traits}",
    "reason.local": "本区居民项目",
    "reason.spent": "您填写的相关支出{spent}元",
    "reason.amount": "一般援助{low}至{high}元",
    "reason.amount_upto": "一般援助不超过{high}元",
    "reason.services": "提供服务帮扶",
    "reason.amount_unknown": "帮扶内容和金额以项目方为准",
    "reason.route": "由社工帮您转介",
    "join.items": "、",
    "join.parts": "；",
    "end": "。",
    "who": "{label}（{people}）",
    "person.applicant": "申请人{name}",
    "person.member": "{relationship}{name}",
    "person.age": "，{age}岁",
    "join.people": "；",
}

EN: dict[str, str] = {
    "need.basic_living": "basic living costs",
    "need.medical": "medical costs",
    "need.education": "education costs",
    "need.rehabilitation": "rehabilitation costs",
    "need.other": "other essential costs",
    "need.serious_illness": "serious illness in the family",
    "need.student": "a student in the family",
    "need.unemployed": "unemployment in the family",
    "need.elderly_alone": "an elderly person living alone",
    "need.disability": "disability in the family",
    "need.sudden_event": "a sudden event",
    "trait.registered": "residents registered in the city",
    "trait.not_registered": "residents registered elsewhere",
    "trait.has_minor": "households with children",
    "trait.urgent": "urgent situations",
    "trait.uncovered": "households not covered by government assistance",
    "trait.low_income": "low-income households",
    "trait.children_without_parents": "children living without their parents",
    "reason.needs": "Suggested because of: {needs}",
    "reason.any_need": "Suggested because needs left after government assistance can be referred here",
    "reason.required": "you meet its condition: {traits}",
    "reason.traits": "it gives priority to {traits}",
    "reason.local": "for residents of your district",
    "reason.spent": "you reported {spent} yuan of related costs",
    "reason.amount": "usually {low} to {high} yuan",
    "reason.amount_upto": "usually up to {high} yuan",
    "reason.services": "offers services rather than cash",
    "reason.amount_unknown": "the programme decides what help it gives",
    "reason.route": "your caseworker makes the referral",
    "join.items": ", ",
    "join.parts": "; ",
    "end": ".",
    "who": "{label} ({people})",
    "person.applicant": "the applicant {name}",
    "person.member": "{name}, {relationship}",
    "person.age": ", aged {age}",
    "join.people": "; ",
}

text = Catalogue({"zh": ZH, "en": EN})  # text(locale, key, **values)


def label(kind: str, code: str, locale: str = "zh") -> str:
    """A need's or a trait's name, e.g. label("need", "medical", "en")."""
    return text(locale, f"{kind}.{code}")


def person(applicant: bool, name: str, relationship: str | None, age: int | None, locale: str = "zh") -> str:
    """A person as a reason names them: the applicant, or a member with their relationship and age."""
    if applicant:
        named = text(locale, "person.applicant", name=name).strip()
    else:
        kin = t(locale, f"opt.relationship.{relationship}") if relationship else ""
        named = text(locale, "person.member", name=name, relationship=kin.lower() if locale == "en" else kin).strip(", ")
    return named + (text(locale, "person.age", age=age) if age is not None else "")


def match_reason(*, needs: tuple[str, ...], required: tuple[str, ...], traits: tuple[str, ...], local: bool,
                 people: dict[str, list[str]] | None = None, need_amount: int | float | None, kind: str, amount: tuple[int | None, int | None],
                 locale: str = "zh") -> str:
    """Why an entry fits, from the household facts it used: the needs it covers, the conditions it
    requires and the traits it prefers, where, and how much."""
    def say(key: str, **values: object) -> str:
        return text(locale, key, **values)

    join = say("join.items").join
    people = people or {}

    def named(kind: str, code: str) -> str:
        # a fact about people names them: 家人患重病（孙子女/外孙子女小明，9岁）
        found = label(kind, code, locale)
        return say("who", label=found, people=say("join.people").join(people[code])) if people.get(code) else found

    parts = []
    if needs:
        parts.append(say("reason.needs", needs=join(named("need", n) for n in needs)))
    else:
        parts.append(say("reason.any_need"))
    if required:
        parts.append(say("reason.required", traits=join(named("trait", code) for code in required)))
    if traits:
        parts.append(say("reason.traits", traits=join(named("trait", code) for code in traits)))
    if local:
        parts.append(say("reason.local"))
    if need_amount:
        parts.append(say("reason.spent", spent=_amount(need_amount)))
    low, high = amount
    if kind == "route":
        parts.append(say("reason.route"))
    elif high is None:
        parts.append(say("reason.amount_unknown"))
    elif high == 0:
        parts.append(say("reason.services"))
    elif low == 0:
        parts.append(say("reason.amount_upto", high=_amount(high)))
    else:
        parts.append(say("reason.amount", low=_amount(low), high=_amount(high)))
    return say("join.parts").join(parts) + say("end")
