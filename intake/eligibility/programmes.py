"""The government programmes screened for, each as the list of rules it needs."""
from __future__ import annotations

from collections.abc import Callable

from knowledge.params import PolicyParams

from intake.eligibility import checks
from intake.eligibility.results import Check, Prescreen, ProgrammeResult

Rule = Callable[[dict, PolicyParams], Check]

# screening order is the order residents and caseworkers read them in
PROGRAMMES: dict[str, tuple[Rule, ...]] = {
    "expense_hardship": (
        checks.registration, checks.not_already_covered, checks.income_below_disposable,
        checks.rigid_expenditure, *checks.ASSET_CHECKS,
    ),
    "dibao": (checks.registration, checks.income_below_dibao, *checks.ASSET_CHECKS),
    "dibao_edge": (checks.registration, checks.income_within_marginal, *checks.ASSET_CHECKS),
    # open to residents registered elsewhere: no registration rule
    "temporary": (checks.sudden_need,),
}


def prescreen(application: dict, params: PolicyParams) -> Prescreen:
    """Apply every programme's rules to a finished or partial application."""
    done: dict[Rule, Check] = {}
    results = []
    for key, rules in PROGRAMMES.items():
        # shared rules (registration, assets) are worked out once and appear in each programme
        for rule in rules:
            if rule not in done:
                done[rule] = rule(application, params)
        results.append(ProgrammeResult(key=key, checks=[done[rule] for rule in rules]))
    return Prescreen(programmes=results)
