"""How urgent an intake is: a score over seven dimensions, each with the reason a caseworker reads.

The dimensions follow the low-income population monitoring guidance (household structure, income,
assets, spending, assistance already received, visits and notes), and what the resident wrote: a
statement that cannot wait (no food, eviction, in hospital now, nobody to care for a dependent, utilities
cut off, thoughts of ending their life; `intake.statements`) outweighs all other dimensions together, so
the intake is urgent and leads the queue, and its words are quoted for the caseworker. The score orders the queue; the
threshold that marks an intake urgent, and the figures each dimension compares with, live in
`knowledge/params.yaml` (`urgency_*`, `dibao_standard`, `marginal_income_multiple`,
`rigid_expenditure_ratio`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake import household as figures
from intake.statements import Statement, statements
from dialogs.catalogue import Catalogue
from dialogs.texts import t
from knowledge.params import PolicyParams

DIMENSIONS = ("said", "household", "income", "assets", "spending", "assistance", "visits")
MOST = {"household": 3, "income": 3, "assets": 2, "spending": 3, "assistance": 2, "visits": 3}
# a statement that cannot wait outweighs every other dimension together
MOST["said"] = sum(MOST.values())

# key: (zh, en); dimension names and reasons with their figures
TEXTS: dict[str, tuple[str, str]] = {
    "dim.household": ("家庭结构", "Household"),
    "dim.income": ("收入", "Income"),
    "dim.assets": ("资产", "Assets"),
    "dim.spending": ("刚性支出", "Spending"),
    "dim.assistance": ("已获救助", "Assistance received"),
    "dim.visits": ("突发情况与说明", "Events and notes"),
    "dim.said": ("居民自述", "In the resident's words"),
    "said.none": ("情况说明中没有需要立即处理的内容", "nothing in the description that cannot wait"),
    "said.empty": ("没有填写情况说明", "no description written"),
    "said.crisis": ("{quotes}", "{quotes}"),
    "said.quote": ("「{quote}」（{kind}）", "\"{quote}\" ({kind})"),
    "said.no_food": ("断粮", "no food"),
    "said.eviction": ("被迫搬离或无处居住", "evicted or nowhere to live"),
    "said.hospitalised": ("正在住院", "in hospital now"),
    "said.no_carer": ("受照顾的家人无人照料", "no one to care for a dependent"),
    "said.utilities": ("水电气被停", "water, power or gas cut off"),
    "said.self_harm": ("有轻生念头", "thoughts of ending their life"),
    "said.note": ("请尽快联系居民：{kinds}。", "Contact the resident today: {kinds}."),
    "household.none": ("没有重病、残疾、独居老人或无人抚养的未成年人", "no serious illness, disability, elderly alone or unsupported minors"),
    "household.flags": ("家中有：{flags}", "in the household: {flags}"),
    "flag.serious_illness": ("重病", "serious illness"),
    "flag.disability": ("残疾", "disability"),
    "flag.elderly_alone": ("独居老人", "elderly living alone"),
    "flag.children_without_parents": ("无父母照料的未成年人", "minors without parents at home"),
    "flag.minors": ("{n} 名未成年人", "{n} minors"),
    "income.unknown": ("收入未填全，无法判断", "income not fully given"),
    "income.level": ("人均月收入 {income} 元，低保标准 {standard} 元", "per-capita monthly income {income} yuan, 低保 standard {standard} yuan"),
    "assets.unknown": ("金融资产未填，无法判断", "financial assets not given"),
    "assets.level": ("人均金融资产 {assets} 元，约 {months} 个月低保标准", "per-capita financial assets {assets} yuan, about {months} months of the 低保 standard"),
    "assets.property": ("有：{owned}", "owns: {owned}"),
    "spending.unknown": ("支出或收入未填全，无法判断", "spending or income not fully given"),
    "spending.none": ("没有填写刚性支出", "no rigid spending given"),
    "spending.no_income": ("刚性支出 {spending} 元，家庭没有收入", "rigid spending {spending} yuan with no household income"),
    "spending.level": ("刚性支出 {spending} 元，占家庭年收入 {share}%", "rigid spending {spending} yuan, {share}% of household annual income"),
    "assistance.none": ("尚未获得任何救助", "no assistance received yet"),
    "assistance.some": ("已获得：{kind}", "already receiving: {kind}"),
    "assistance.unknown": ("未说明是否已获救助", "assistance received not stated"),
    "kind.dibao": ("低保", "低保 (minimum living allowance)"),
    "kind.tekun": ("特困供养", "特困 support"),
    "kind.dibao_edge": ("低保边缘", "marginal low-income support"),
    "kind.temporary": ("临时救助", "temporary assistance"),
    "visits.sudden": ("申请人报告了突发事件", "the applicant reported a sudden event"),
    "visits.none": ("没有报告突发事件", "no sudden event reported"),
}


text = Catalogue.from_pairs(TEXTS)  # text(locale, key, **params)


@dataclass(frozen=True, slots=True)
class Dimension:
    """One dimension's points (out of `most`) and the reason, as a text key with its figures."""

    key: str
    points: int
    most: int
    reason: str
    figures: dict[str, Any]

    def label(self, locale: str) -> str:
        return text(locale, f"dim.{self.key}")

    def explain(self, locale: str) -> str:
        values = dict(self.figures)
        if "flags" in values:
            values["flags"] = ("、" if locale != "en" else ", ").join(
                text(locale, f"flag.{f}", n=values.get("minors", 0)) for f in values["flags"])
        if "kind" in values:
            values["kind"] = text(locale, f"kind.{values['kind']}")
        if "said" in values:
            values["quotes"] = ("；" if locale != "en" else "; ").join(
                text(locale, "said.quote", quote=said["quote"], kind=text(locale, f"said.{said['kind']}"))
                for said in values.pop("said"))
        if "owned" in values:
            values["owned"] = ("、" if locale != "en" else ", ").join(t(locale, f"opt.owned.{v}") for v in values["owned"])
        return text(locale, self.reason, **values)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "points": self.points, "most": self.most, "reason": self.reason, "figures": self.figures}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dimension:
        return cls(data["key"], int(data["points"]), int(data["most"]), data["reason"], dict(data.get("figures") or {}))


@dataclass(frozen=True, slots=True)
class Urgency:
    """The score, whether it reaches the urgent threshold, and every dimension with its reason."""

    score: int
    urgent: bool
    dimensions: tuple[Dimension, ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        """What the resident wrote that cannot wait, in their words."""
        said = next((d for d in self.dimensions if d.key == "said"), None)
        return tuple(Statement(s["kind"], s["quote"]) for s in (said.figures.get("said") or [])) if said else ()

    def note(self, locale: str) -> str:
        """A caseworker's note for a statement that cannot wait; empty when there is none."""
        kinds = dict.fromkeys(s.kind for s in self.statements)
        if not kinds:
            return ""
        sep = "、" if locale != "en" else ", "
        return text(locale, "said.note", kinds=sep.join(text(locale, f"said.{k}") for k in kinds))

    def main_reason(self, locale: str) -> str:
        """The two dimensions that weigh most, for a queue row."""
        ranked = sorted((d for d in self.dimensions if d.points), key=lambda d: (d.points / d.most, d.points), reverse=True)
        colon, sep = (": ", "; ") if locale == "en" else ("：", "；")
        return sep.join(f"{d.label(locale)}{colon}{d.explain(locale)}" for d in ranked[:2])

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "urgent": self.urgent, "dimensions": [d.to_dict() for d in self.dimensions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Urgency:
        return cls(int(data["score"]), bool(data["urgent"]), tuple(Dimension.from_dict(d) for d in data["dimensions"]))


def _household(application: dict) -> Dimension:
    flags = figures.household_flags(application)
    found = [f for f in ("serious_illness", "disability", "elderly_alone") if f in flags]
    weight = {"serious_illness": 1, "disability": 1, "elderly_alone": 2, "children_without_parents": 2, "minors": 1}
    if figures.children_without_parents(application):
        found.append("children_without_parents")
    minors = len(figures.minors(application))
    if minors >= 2:
        found.append("minors")
    points = min(MOST["household"], sum(weight[f] for f in found))
    if not found:
        return Dimension("household", 0, MOST["household"], "household.none", {})
    return Dimension("household", points, MOST["household"], "household.flags", {"flags": found, "minors": minors})


def _income(application: dict, params: PolicyParams) -> Dimension:
    monthly = figures.per_capita_monthly_income(application)
    if monthly is None:
        return Dimension("income", 0, MOST["income"], "income.unknown", {})
    standard = params.value("dibao_standard")
    low = standard * params.value("urgency_income_low_multiple")
    marginal = standard * params.value("marginal_income_multiple")
    points = 3 if monthly <= low else 2 if monthly <= marginal else 1 if monthly <= 2 * standard else 0
    return Dimension("income", points, MOST["income"], "income.level", {"income": round(monthly), "standard": standard})


def _assets(application: dict, params: PolicyParams) -> Dimension:
    financial, size = figures.financial_assets(application), figures.household_size(application)
    # property that usually rules a household out: a second home, a shop or garage, a car
    owned = [v for v in figures.assets_owned(application) or [] if v in ("second_home", "non_residential", "car")]
    if owned:
        return Dimension("assets", 0, MOST["assets"], "assets.property", {"owned": owned})
    if financial is None or not size:
        return Dimension("assets", 0, MOST["assets"], "assets.unknown", {})
    standard = params.value("dibao_standard")
    months = financial / size / standard
    points = 2 if months <= params.value("urgency_assets_low_months") else 1 if months <= 12 else 0
    return Dimension("assets", points, MOST["assets"], "assets.level",
                     {"assets": round(financial / size), "months": round(months, 1)})


def _spending(application: dict, params: PolicyParams) -> Dimension:
    spending, income = figures.rigid_expenditure_total(application), figures.annual_income(application)
    if spending is None or income is None:
        return Dimension("spending", 0, MOST["spending"], "spending.unknown", {})
    if spending == 0:
        return Dimension("spending", 0, MOST["spending"], "spending.none", {})
    if income == 0:
        return Dimension("spending", 3, MOST["spending"], "spending.no_income", {"spending": round(spending)})
    share = spending / income
    high, line = params.value("urgency_spending_ratio_high"), params.value("rigid_expenditure_ratio")
    points = 3 if share >= high else 2 if share >= line else 1 if share >= line / 2 else 0
    return Dimension("spending", points, MOST["spending"], "spending.level",
                     {"spending": round(spending), "share": round(share * 100)})


def _assistance(application: dict) -> Dimension:
    kind = application.get("assistance")
    if kind == "none":
        return Dimension("assistance", 2, MOST["assistance"], "assistance.none", {})
    if kind in ("dibao", "tekun"):
        return Dimension("assistance", 0, MOST["assistance"], "assistance.some", {"kind": kind})
    if kind in ("dibao_edge", "temporary"):
        return Dimension("assistance", 1, MOST["assistance"], "assistance.some", {"kind": kind})
    return Dimension("assistance", 0, MOST["assistance"], "assistance.unknown", {})


def _visits(application: dict) -> Dimension:
    if figures.sudden_event(application) is True:
        return Dimension("visits", 3, MOST["visits"], "visits.sudden", {})
    return Dimension("visits", 0, MOST["visits"], "visits.none", {})


def _said(application: dict) -> Dimension:
    written = application.get("situation")
    if not isinstance(written, str) or not written.strip():
        return Dimension("said", 0, MOST["said"], "said.empty", {})
    found = statements(written)
    if not found:
        return Dimension("said", 0, MOST["said"], "said.none", {})
    return Dimension("said", MOST["said"], MOST["said"], "said.crisis",
                     {"said": [{"kind": s.kind, "quote": s.quote} for s in found]})


def assess(application: dict, params: PolicyParams) -> Urgency:
    """Score an application over the seven dimensions; urgent from `urgency_urgent_score` up, and
    always when the resident states something that cannot wait."""
    dimensions = (
        _said(application),
        _household(application), _income(application, params), _assets(application, params),
        _spending(application, params), _assistance(application), _visits(application),
    )
    score = sum(d.points for d in dimensions)
    return Urgency(score, score >= params.value("urgency_urgent_score") or dimensions[0].points > 0, dimensions)
