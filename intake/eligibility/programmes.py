"""The government programmes screened for, each as the list of rules it needs."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from knowledge.params import PolicyParams

from intake.eligibility import assets, checks, income, tekun, temporary
from intake.eligibility.results import Check, Prescreen, ProgrammeResult

Rule = Callable[[dict, PolicyParams], Check]

# screening order is the order residents and caseworkers read them in
PROGRAMMES: dict[str, tuple[Rule, ...]] = {
    "expense_hardship": (
        checks.registration, checks.not_already_covered, income.income_below_disposable,
        income.rigid_expenditure, *assets.LOOSENED_ASSET_CHECKS,
    ),
    "dibao": (checks.registration, income.income_below_dibao, *assets.ASSET_CHECKS),
    "dibao_edge": (checks.registration, checks.not_in_higher_tier, income.income_below_marginal,
                   *assets.ASSET_CHECKS),
    # no means of living (特困人员认定办法 第六条): income below the 低保 standard and property within the
    # local 特困 rule, which was not found for Guangzhou: the 低保 property rules stand in for it
    "tekun": (checks.registration, tekun.unable_to_work, income.income_below_dibao, *assets.ASSET_CHECKS,
              tekun.no_supporter),
    # open to residents registered elsewhere who hold a residence permit or have lived here a year;
    # income and property follow the provincial tests (细则 第五条), as for 支出型
    "temporary": (temporary.temporary_residence, temporary.temporary_need, income.income_below_disposable,
                  *assets.LOOSENED_ASSET_CHECKS),
}


def prescreen(application: dict, params: PolicyParams, *, on: date | None = None) -> Prescreen:
    """Apply every programme's rules, with the values in force on the application date (`on`, today)."""
    params = params.on(on or date.today())
    done: dict[Rule, Check] = {}
    results = []
    for key, rules in PROGRAMMES.items():
        # shared rules (registration, assets) are worked out once and appear in each programme
        for rule in rules:
            if rule not in done:
                done[rule] = rule(application, params)
        results.append(ProgrammeResult(key=key, checks=[done[rule] for rule in rules]))
    return Prescreen(programmes=results)
