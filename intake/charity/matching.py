"""Which charity programmes fit a household, ranked, with the reason for each."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake import household as app_figures
from intake.charity import texts
from intake.charity.catalogue import Catalogue, CharityProgramme, load_catalogue
from intake.eligibility.results import Outcome, Prescreen


def household_needs(application: dict) -> set[str]:
    """Rigid-spending categories with spending (or an unknown amount), member flags, a sudden event."""
    needs = {category for category, spent in app_figures.expenses_by_category(application).items()
             if spent is None or spent > 0}
    needs |= app_figures.household_flags(application)
    if app_figures.sudden_event(application) is True:
        needs.add("sudden_event")
    return needs


def _group(person: dict, group: str | None) -> bool:
    """Whether a person belongs to the group a programme is for (an unknown age belongs to neither)."""
    if group is None:
        return True
    age = person.get("age")
    if not isinstance(age, int) or isinstance(age, bool):
        return False
    return age < app_figures.ADULT_AGE if group == "minor" else age >= app_figures.ADULT_AGE


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact a match used and whose it is: a need or trait `code`, and the person it is about (`index`
    None: the applicant, who also answers for the household's figures; else the position in "members")."""

    code: str
    index: int | None
    name: str
    relationship: str | None
    age: int | None

    @classmethod
    def of(cls, code: str, index: int | None, person: dict) -> Fact:
        age = person.get("age")
        return cls(code, index, str(person.get("name") or ""), person.get("relationship") if index is not None else None,
                   age if isinstance(age, int) and not isinstance(age, bool) else None)

    def who(self, locale: str) -> str:
        return texts.person(self.index is None, self.name, self.relationship, self.age, locale)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "role": "applicant" if self.index is None else "member", "index": self.index,
                "name": self.name, "relationship": self.relationship, "age": self.age}


def _named(application: dict) -> list[tuple[int | None, dict]]:
    """The applicant (None) and each member named, by position."""
    applicant = application.get("applicant") if isinstance(application.get("applicant"), dict) else {}
    members = application.get("members") if isinstance(application.get("members"), list) else []
    return [(None, applicant), *((i, m) for i, m in enumerate(members) if isinstance(m, dict))]


def _holds(person: dict, flag: str) -> bool:
    if flag == "disability":
        return app_figures.has_disability(person)
    return flag in (person.get("flags") or [])


def _facts(application: dict, programme: CharityProgramme, covered: tuple[str, ...],
           traits: tuple[str, ...]) -> tuple[Fact, ...]:
    """The people behind what a match used: who has each member need, who the minors are; the household's
    figures and traits are the applicant's declaration."""
    named = _named(application)
    applicant = named[0][1]
    facts: list[Fact] = []
    for code in covered:
        if code in app_figures.MEMBER_FLAGS:
            facts += [Fact.of(code, i, p) for i, p in named if _holds(p, code) and _group(p, programme.person)]
        else:
            facts.append(Fact.of(code, None, applicant))
    for code in traits:
        if code == "has_minor":
            facts += [Fact.of(code, i, p) for i, p in named if i is not None and _group(p, "minor")]
        elif code == "children_without_parents":
            facts += [Fact.of(code, i, p) for i, p in named if i is not None and _group(p, "minor")
                      and p.get("relationship") in app_figures.NOT_PARENT_OF]
        else:
            facts.append(Fact.of(code, None, applicant))
    return tuple(facts) or (Fact.of("household", None, applicant),)


def household_traits(application: dict, prescreen: Prescreen) -> set[str]:
    """Traits programmes may require or prefer.

    Registration is read from the pre-screen's registration check when there is one, so the
    charity side and the government side agree on who is registered in the city.
    """
    traits: set[str] = set()
    registration = _registration_outcome(prescreen)
    if registration == Outcome.MET:
        traits.add("registered")
    elif registration == Outcome.NOT_MET:
        traits.add("not_registered")
    if app_figures.minors(application):
        traits.add("has_minor")
    if app_figures.is_urgent(application):
        traits.add("urgent")
    if app_figures.children_without_parents(application):
        traits.add("children_without_parents")
    if not prescreen.covered:
        traits.add("uncovered")
    if any(p.key in ("dibao", "dibao_edge") and p.outcome == Outcome.MET for p in prescreen.programmes):
        traits.add("low_income")
    return traits


def _registration_outcome(prescreen: Prescreen) -> Outcome | None:
    for programme in prescreen.programmes:
        for check in programme.checks:
            if check.key == "registration":
                return check.outcome
    return None


@dataclass(frozen=True, slots=True)
class Match:
    """A programme that fits, how well, and why: `needs`, `required` and `traits` are the household
    facts it used (what the household needs, what the programme requires of it, what it prefers)."""

    programme: CharityProgramme
    score: int
    needs: tuple[str, ...]
    traits: tuple[str, ...]
    need_amount: int | float | None
    local: bool
    required: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()

    def reason(self, locale: str = "zh") -> str:
        """Why this programme was suggested, in the resident's language, naming the people it is about."""
        programme = self.programme
        people: dict[str, list[str]] = {}
        for fact in self.facts:
            if fact.code in app_figures.MEMBER_FLAGS or fact.code in ("has_minor", "children_without_parents"):
                people.setdefault(fact.code, []).append(fact.who(locale))
        return texts.match_reason(needs=self.needs, required=self.required, traits=self.traits, local=self.local,
                                  people=people,
                                  need_amount=self.need_amount, kind=programme.kind,
                                  amount=(programme.amount_min, programme.amount_max), locale=locale)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, for the intake record and the caseworker's referral."""
        return {
            "programme": self.programme.key,
            "name": dict(self.programme.name),
            "organisation": dict(self.programme.organisation),
            "kind": self.programme.kind,
            "public": self.programme.public,
            "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in self.programme.sources],
            "score": self.score,
            "needs": list(self.needs),
            "required": list(self.required),
            "traits": list(self.traits),
            "facts": [f.to_dict() for f in self.facts],
            "need_amount": self.need_amount,
            "amount": {"min": self.programme.amount_min, "max": self.programme.amount_max},
            "reason": {locale: self.reason(locale) for locale in texts.LOCALES},
        }


def _need_amount(application: dict, needs: tuple[str, ...]) -> int | float | None:
    """What the household spent in the expense categories this programme covers."""
    spent = app_figures.expenses_by_category(application)
    amounts = [spent[n] for n in needs if n in spent]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum(amounts)


def match_programmes(application: dict, prescreen: Prescreen, catalogue: Catalogue | None = None) -> list[Match]:
    """The programmes that fit the household, best first."""
    catalogue = catalogue or load_catalogue()
    weights = catalogue.weights
    needs = household_needs(application)
    traits = household_traits(application, prescreen)
    district = (application.get("applicant") or {}).get("district")
    matches = []
    for programme in catalogue.programmes:
        if programme.person is not None:
            # a programme for a child (or an adult) matches on that person's own illness or disability
            held = {f for f in programme.needs & set(app_figures.MEMBER_FLAGS)
                    if any(_holds(p, f) and _group(p, programme.person) for _, p in _named(application))}
            if not held:
                continue
            covered = tuple(sorted(held | (programme.needs - set(app_figures.MEMBER_FLAGS)) & needs))
        else:
            covered = tuple(sorted(programme.needs & needs))
        if programme.needs and not covered:
            continue
        if not programme.requires <= traits or not programme.serves(district):
            continue
        preferred = tuple(t for t in programme.prefers if t in traits)
        local = programme.districts is not None
        score = weights["need"] * len(covered) + weights["preferred_trait"] * len(preferred) + weights["local"] * local
        required = tuple(sorted(programme.requires))
        matches.append(Match(programme, score, covered, preferred, _need_amount(application, covered), local,
                             required, _facts(application, programme, covered, (*required, *preferred))))
    # equal scores: a programme before a referral route, then the one that can cover more of the need
    return sorted(matches, key=lambda m: (-m.score, m.programme.kind != "programme",
                                          -min(m.programme.amount_max or 0, m.need_amount or 0), m.programme.key))
