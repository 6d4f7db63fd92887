"""Every pre-screen wording, one table per locale (zh Simplified, en)."""
from __future__ import annotations

from typing import Any

LOCALES = ("zh", "en")

ZH: dict[str, str] = {
    "programme.expense_hardship": "支出型困难家庭",
    "programme.dibao": "最低生活保障（低保）",
    "programme.dibao_edge": "低保边缘家庭",
    "programme.temporary": "临时救助",
    "check.registration": "本市户籍",
    "check.not_already_covered": "尚未纳入低保、特困或低保边缘",
    "check.income_below_disposable": "人均年收入低于上年度城镇居民人均可支配收入",
    "check.income_below_dibao": "人均月收入低于低保标准",
    "check.income_within_marginal": "人均月收入不超过低保边缘标准",
    "check.rigid_expenditure": "刚性支出占家庭年收入的比例",
    "check.financial_assets": "人均金融资产",
    "check.homes": "住房",
    "check.vehicles": "机动车",
    "check.no_business": "营业执照",
    "check.sudden_need": "突发困难",
    "unknown": "还不能判断，缺少：{missing}。",
    "registration.met": "户籍在本市{district_label}。",
    "registration.not_met": "户籍不在本市；本项需要本市户籍。",
    "not_already_covered.met": "目前没有享受低保、特困供养或低保边缘待遇。",
    "not_already_covered.not_met": "已经是{assistance_label}对象；支出型困难家庭认定面向尚未纳入这些保障的家庭。",
    "income_below_disposable.met": "家庭人均年收入{per_capita_annual_income}元，低于上年度城镇居民人均可支配收入{line}元。",
    "income_below_disposable.not_met": "家庭人均年收入{per_capita_annual_income}元，不低于上年度城镇居民人均可支配收入{line}元。",
    "income_below_disposable.not_met.partial": "仅按已填写的收入计算，人均年收入已达{per_capita_annual_income}元，不低于上年度城镇居民人均可支配收入{line}元。",
    "income_below_disposable.unknown": "还不能判断人均年收入是否低于{line}元，缺少：{missing}。",
    "income_below_dibao.met": "家庭人均月收入{per_capita_monthly_income}元，低于低保标准每人每月{line}元。",
    "income_below_dibao.not_met": "家庭人均月收入{per_capita_monthly_income}元，不低于低保标准每人每月{line}元。",
    "income_below_dibao.not_met.partial": "仅按已填写的收入计算，人均月收入已达{per_capita_monthly_income}元，不低于低保标准每人每月{line}元。",
    "income_below_dibao.unknown": "还不能判断人均月收入是否低于低保标准每人每月{line}元，缺少：{missing}。",
    "income_within_marginal.met": "家庭人均月收入{per_capita_monthly_income}元，不超过低保标准的{multiple}倍（{line}元）。",
    "income_within_marginal.not_met": "家庭人均月收入{per_capita_monthly_income}元，超过低保标准的{multiple}倍（{line}元）。",
    "income_within_marginal.not_met.partial": "仅按已填写的收入计算，人均月收入已达{per_capita_monthly_income}元，超过低保标准的{multiple}倍（{line}元）。",
    "income_within_marginal.unknown": "还不能判断人均月收入是否超过{line}元（低保标准的{multiple}倍），缺少：{missing}。",
    "rigid_expenditure.met": "近12个月刚性支出{expenditure}元，达到家庭年收入{annual_income}元的{ratio_percent}%（{required}元）。",
    "rigid_expenditure.met.zero_income": "家庭近12个月没有收入，刚性支出{expenditure}元，满足支出占收入{ratio_percent}%以上的条件。",
    "rigid_expenditure.not_met": "近12个月刚性支出{expenditure}元，低于家庭年收入{annual_income}元的{ratio_percent}%（{required}元）。",
    "rigid_expenditure.not_met.partial": "仅按已填写的收入{annual_income}元计算，刚性支出{expenditure}元已低于其{ratio_percent}%（{required}元）。",
    "rigid_expenditure.not_met.none": "没有填写近12个月的刚性支出（医疗、教育、康复、灾害或意外等）。",
    "rigid_expenditure.unknown": "还不能判断刚性支出是否达到家庭年收入的{ratio_percent}%，缺少：{missing}。",
    "financial_assets.met": "人均金融资产{per_capita}元，不超过{months}个月的低保标准（每人{limit_per_capita}元）。",
    "financial_assets.not_met": "人均金融资产{per_capita}元，超过{months}个月的低保标准（每人{limit_per_capita}元）。",
    "financial_assets.unknown": "还不能判断人均金融资产是否超过每人{limit_per_capita}元，缺少：{missing}。",
    "homes.met": "家庭拥有住房{count}套，不超过{limit}套。",
    "homes.not_met": "家庭拥有住房{count}套，超过{limit}套的上限。",
    "vehicles.met": "家庭拥有机动车{count}辆，不超过{limit}辆（残疾人代步车不计）。",
    "vehicles.not_met": "家庭拥有机动车{count}辆，超过{limit}辆的上限（残疾人代步车不计）。",
    "no_business.met": "家庭成员没有登记营业执照。",
    "no_business.not_met": "有家庭成员登记了营业执照（个体工商户或企业）。",
    "sudden_need.met.sudden_event": "近12个月遭遇了突发事件或意外。",
    "sudden_need.met.disaster": "近12个月有灾害或意外造成的支出。",
    "sudden_need.not_met": "没有报告突发事件、意外或灾害支出。",
    "source": "（依据：{sources}）",
    "source.join": "；",
    "list.join": "、",
    "missing.district": "户籍所在区",
    "missing.assistance": "目前享受的救助",
    "missing.household_size": "家庭成员",
    "missing.income.wages": "工资收入",
    "missing.income.business": "经营收入",
    "missing.income.pension": "养老金",
    "missing.income.transfers": "亲属资助等转移收入",
    "missing.income.other": "其他收入",
    "missing.expenses": "刚性支出",
    "missing.expenses.amount": "部分支出的金额",
    "missing.assets.financial": "金融资产",
    "missing.assets.homes": "住房套数",
    "missing.assets.vehicles": "机动车数量",
    "missing.assets.business_registered": "是否登记营业执照",
    "missing.sudden_event": "是否遭遇突发事件",
    "assistance.dibao": "低保",
    "assistance.tekun": "特困供养",
    "assistance.dibao_edge": "低保边缘",
    "assistance.temporary": "临时救助",
    "assistance.none": "无",
    "summary.heading": "初步结果（仅供参考）",
    "summary.disclaimer": "是否符合条件由工作人员审核决定，以下只是根据您填写的内容得出的初步情况。",
    "summary.likely": "从您的回答看，可能符合：",
    "summary.unclear": "还需要工作人员核实：",
    "summary.unclear_item": "{label}（还需要了解：{missing}）",
    "summary.none": "从您的回答看，暂不符合我们初步筛查的政府救助项目。",
    "summary.charity": "可以为您转介的慈善帮扶项目：",
    "summary.no_charity": "暂时没有找到合适的慈善帮扶项目。",
    "summary.closing": "工作人员会认真阅读您的申请，并尽快与您联系。",
    "summary.bullet": "· ",
}

EN: dict[str, str] = {
    "programme.expense_hardship": "expense-type hardship household (支出型困难家庭)",
    "programme.dibao": "minimum living allowance (低保)",
    "programme.dibao_edge": "marginal low-income household (低保边缘)",
    "programme.temporary": "temporary assistance (临时救助)",
    "check.registration": "household registered in the city",
    "check.not_already_covered": "not already receiving 低保, 特困 or marginal support",
    "check.income_below_disposable": "per-capita annual income below the urban disposable income",
    "check.income_below_dibao": "per-capita monthly income below the 低保 standard",
    "check.income_within_marginal": "per-capita monthly income within the marginal line",
    "check.rigid_expenditure": "rigid expenditure as a share of household income",
    "check.financial_assets": "financial assets per person",
    "check.homes": "homes",
    "check.vehicles": "motor vehicles",
    "check.no_business": "business registration",
    "check.sudden_need": "sudden hardship",
    "unknown": "Cannot tell yet; missing: {missing}.",
    "registration.met": "The household is registered in {district_label}, within the city.",
    "registration.not_met": "The household is not registered in the city; this programme requires registration in the city.",
    "not_already_covered.met": "The household does not currently receive 低保, 特困 support or marginal low-income support.",
    "not_already_covered.not_met": "The household already receives {assistance_label}; the expense-type hardship recognition is for households not yet covered.",
    "income_below_disposable.met": "Per-capita annual income is {per_capita_annual_income} yuan, below last year's urban per-capita disposable income of {line} yuan.",
    "income_below_disposable.not_met": "Per-capita annual income is {per_capita_annual_income} yuan, not below last year's urban per-capita disposable income of {line} yuan.",
    "income_below_disposable.not_met.partial": "Counting only the income given so far, per-capita annual income is already {per_capita_annual_income} yuan, not below last year's urban per-capita disposable income of {line} yuan.",
    "income_below_disposable.unknown": "Cannot tell yet whether per-capita annual income is below {line} yuan; missing: {missing}.",
    "income_below_dibao.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, below the 低保 standard of {line} yuan per person per month.",
    "income_below_dibao.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below the 低保 standard of {line} yuan per person per month.",
    "income_below_dibao.not_met.partial": "Counting only the income given so far, per-capita monthly income is already {per_capita_monthly_income} yuan, not below the 低保 standard of {line} yuan.",
    "income_below_dibao.unknown": "Cannot tell yet whether per-capita monthly income is below the 低保 standard of {line} yuan; missing: {missing}.",
    "income_within_marginal.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, at most {multiple} times the 低保 standard ({line} yuan).",
    "income_within_marginal.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, above {multiple} times the 低保 standard ({line} yuan).",
    "income_within_marginal.not_met.partial": "Counting only the income given so far, per-capita monthly income is already {per_capita_monthly_income} yuan, above {multiple} times the 低保 standard ({line} yuan).",
    "income_within_marginal.unknown": "Cannot tell yet whether per-capita monthly income is above {line} yuan ({multiple} times the 低保 standard); missing: {missing}.",
    "rigid_expenditure.met": "Rigid expenditure over the last 12 months is {expenditure} yuan, at least {ratio_percent}% of household annual income of {annual_income} yuan ({required} yuan).",
    "rigid_expenditure.met.zero_income": "The household had no income over the last 12 months and rigid expenditure of {expenditure} yuan, which meets the {ratio_percent}% share.",
    "rigid_expenditure.not_met": "Rigid expenditure over the last 12 months is {expenditure} yuan, less than {ratio_percent}% of household annual income of {annual_income} yuan ({required} yuan).",
    "rigid_expenditure.not_met.partial": "Counting only the income given so far ({annual_income} yuan), rigid expenditure of {expenditure} yuan is already less than {ratio_percent}% of it ({required} yuan).",
    "rigid_expenditure.not_met.none": "No rigid expenditure (medical, education, rehabilitation, disaster or accident) was reported for the last 12 months.",
    "rigid_expenditure.unknown": "Cannot tell yet whether rigid expenditure reaches {ratio_percent}% of household annual income; missing: {missing}.",
    "financial_assets.met": "Financial assets are {per_capita} yuan per person, within {months} months of the 低保 standard ({limit_per_capita} yuan per person).",
    "financial_assets.not_met": "Financial assets are {per_capita} yuan per person, above {months} months of the 低保 standard ({limit_per_capita} yuan per person).",
    "financial_assets.unknown": "Cannot tell yet whether financial assets exceed {limit_per_capita} yuan per person; missing: {missing}.",
    "homes.met": "The household owns {count} home(s), within the limit of {limit}.",
    "homes.not_met": "The household owns {count} home(s), above the limit of {limit}.",
    "vehicles.met": "The household owns {count} motor vehicle(s), within the limit of {limit} (disability mobility vehicles not counted).",
    "vehicles.not_met": "The household owns {count} motor vehicle(s), above the limit of {limit} (disability mobility vehicles not counted).",
    "no_business.met": "Nobody in the household has a registered business.",
    "no_business.not_met": "Someone in the household has a registered business (sole trader or company).",
    "sudden_need.met.sudden_event": "The household met a sudden event or accident in the last 12 months.",
    "sudden_need.met.disaster": "The household had disaster or accident expenses in the last 12 months.",
    "sudden_need.not_met": "No sudden event, accident or disaster expense was reported.",
    "source": " (Source: {sources})",
    "source.join": "; ",
    "list.join": ", ",
    "missing.district": "district of household registration",
    "missing.assistance": "current assistance",
    "missing.household_size": "household members",
    "missing.income.wages": "wages",
    "missing.income.business": "business income",
    "missing.income.pension": "pension",
    "missing.income.transfers": "support from relatives and other transfers",
    "missing.income.other": "other income",
    "missing.expenses": "rigid expenditure",
    "missing.expenses.amount": "the amount of some expenses",
    "missing.assets.financial": "financial assets",
    "missing.assets.homes": "number of homes",
    "missing.assets.vehicles": "number of motor vehicles",
    "missing.assets.business_registered": "whether a business is registered",
    "missing.sudden_event": "whether a sudden event happened",
    "assistance.dibao": "低保 (minimum living allowance)",
    "assistance.tekun": "特困 (extreme poverty) support",
    "assistance.dibao_edge": "marginal low-income support",
    "assistance.temporary": "temporary assistance",
    "assistance.none": "none",
    "summary.heading": "Preliminary result (for reference only)",
    "summary.disclaimer": "Caseworkers decide whether you qualify. This is only what it looks like from your answers.",
    "summary.likely": "From your answers, you may qualify for:",
    "summary.unclear": "A caseworker will need to check:",
    "summary.unclear_item": "{label} (we still need: {missing})",
    "summary.none": "From your answers, the government programmes we pre-screen for do not seem to apply yet.",
    "summary.charity": "Charity programmes we can refer you to:",
    "summary.no_charity": "We have not found a suitable charity programme yet.",
    "summary.closing": "A caseworker will read your application carefully and contact you soon.",
    "summary.bullet": "- ",
}

TABLES = {"zh": ZH, "en": EN}


def text(key: str, locale: str = "zh", **values: Any) -> str:
    """One wording in the locale (Chinese when the locale is not known)."""
    return TABLES.get(locale, ZH)[key].format(**values)


def amount(value: Any) -> str:
    """A figure as residents read it: thousands separated, cents only when there are any."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        # 1.5 times, 1,234.5 yuan: no trailing zeros to puzzle over
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def missing_list(codes: list[str], locale: str) -> str:
    """The names of missing answers, joined for a sentence."""
    table = TABLES.get(locale, ZH)
    names = [table.get(f"missing.{code}", code) for code in codes]
    return table["list.join"].join(dict.fromkeys(names))


def programme_label(key: str, locale: str = "zh") -> str:
    """A government programme's name."""
    return text(f"programme.{key}", locale)


def check_label(key: str, locale: str = "zh") -> str:
    """A rule's short name, e.g. for a caseworker's table."""
    return text(f"check.{key}", locale)


def check_reason(key: str, outcome: str, variant: str, figures: dict[str, Any],
                 parameters: tuple, locale: str = "zh") -> str:
    """The reason for one check, with the sources of the parameters it read."""
    table = TABLES.get(locale, ZH)
    values: dict[str, Any] = {name: amount(value) for name, value in figures.items()}
    values["missing"] = missing_list(figures.get("missing") or [], locale)
    if isinstance(figures.get("district_label"), dict):
        values["district_label"] = figures["district_label"].get(locale, figures["district_label"].get("zh"))
    if "assistance" in figures:
        values["assistance_label"] = table.get(f"assistance.{figures['assistance']}", figures["assistance"])
    candidates = [f"{key}.{outcome}.{variant}", f"{key}.{outcome}"] if variant else [f"{key}.{outcome}"]
    template = next((table[c] for c in candidates if c in table), table["unknown"])
    reason = template.format(**values)
    sources = list(dict.fromkeys(p.cite(locale) for p in parameters))
    if sources:
        reason += table["source"].format(sources=table["source.join"].join(sources))
    return reason
