"""Every pre-screen wording, one table per locale (zh Simplified, en)."""
from __future__ import annotations

from typing import Any

from dialogs.catalogue import LOCALES, Catalogue

ZH: dict[str, str] = {
    "programme.expense_hardship": "支出型困难家庭（刚性支出困难家庭）",
    "programme.dibao": "最低生活保障（低保）",
    "programme.dibao_edge": "低保边缘家庭",
    "programme.tekun": "特困人员救助供养",
    "programme.temporary": "临时救助",
    "check.registration": "户籍在本市",
    "check.not_already_covered": "尚未纳入低保、特困或低保边缘",
    "check.not_in_higher_tier": "尚未纳入低保或特困",
    "check.income_below_disposable": "人均年收入低于上年度本市居民人均可支配收入",
    "check.income_below_dibao": "人均月收入低于低保标准",
    "check.income_below_marginal": "人均月收入低于低保边缘标准",
    "check.rigid_expenditure": "刚性支出超出家庭收入的规定比例",
    "check.financial_assets": "人均金融资产",
    "check.homes": "住房",
    "check.non_residential": "商铺、车库等非住宅房产",
    "check.vehicles": "机动车",
    "check.business": "经营登记",
    "check.unable_to_work": "无劳动能力",
    "check.no_supporter": "无法定赡养、抚养、扶养人或其无力履行",
    "check.temporary_residence": "户籍或居住条件",
    "check.temporary_need": "突发困难或必需支出",
    "unknown": "还不能判断，缺少：{missing}。",
    "registration.met": "户籍在本市{district_label}。",
    "registration.met.member": "有家庭成员的户籍在本市，可以向该成员户籍所在地申请。",
    "registration.not_met": "申请人和家庭成员的户籍都不在本市；本项需要本市户籍。",
    "not_already_covered.met": "目前没有享受低保、特困供养或低保边缘待遇。",
    "not_already_covered.not_met": "已经是{assistance_label}对象；支出型困难家庭认定面向尚未纳入这些保障的家庭。",
    "not_in_higher_tier.met": "目前没有享受低保或特困供养。",
    "not_in_higher_tier.not_met": "已经是{assistance_label}对象，不再认定为低保边缘家庭。",
    "income_below_disposable.met": "家庭人均年收入{per_capita_annual_income}元，低于上年度本市居民人均可支配收入{line}元。",
    "income_below_disposable.not_met": "家庭人均年收入{per_capita_annual_income}元，不低于上年度本市居民人均可支配收入{line}元。",
    "income_below_disposable.not_met.partial": "仅按已填写的收入计算，人均年收入已达{per_capita_annual_income}元，不低于{line}元。",
    "income_below_disposable.unknown": "还不能判断人均年收入是否低于{line}元，缺少：{missing}。",
    "income_below_dibao.met": "家庭人均月收入{per_capita_monthly_income}元，低于低保标准每人每月{line}元。镇街会按申请前{months}个月的平均收入核算。",
    "income_below_dibao.not_met": "家庭人均月收入{per_capita_monthly_income}元，不低于低保标准每人每月{line}元。",
    "income_below_dibao.not_met.partial": "仅按已填写的收入计算，人均月收入已达{per_capita_monthly_income}元，不低于低保标准{line}元。",
    "income_below_dibao.unknown": "还不能判断人均月收入是否低于低保标准每人每月{line}元，缺少：{missing}。",
    "income_below_marginal.met": "家庭人均月收入{per_capita_monthly_income}元，低于低保边缘标准{line}元（低保标准的{multiple}倍）。",
    "income_below_marginal.not_met": "家庭人均月收入{per_capita_monthly_income}元，不低于低保边缘标准{line}元（低保标准的{multiple}倍）。",
    "income_below_marginal.not_met.partial": "仅按已填写的收入计算，人均月收入已达{per_capita_monthly_income}元，不低于低保边缘标准{line}元。",
    "income_below_marginal.unknown": "还不能判断人均月收入是否低于{line}元，缺少：{missing}。",
    "rigid_expenditure.met": "近{months}个月刚性支出{expenditure}元，超过家庭年收入{annual_income}元的{ratio_percent}%（{required}元）。",
    "rigid_expenditure.met.zero_income": "家庭近{months}个月没有收入，刚性支出{expenditure}元，超过收入的{ratio_percent}%。",
    "rigid_expenditure.not_met": "近{months}个月刚性支出{expenditure}元，没有超过家庭年收入{annual_income}元的{ratio_percent}%（{required}元）。",
    "rigid_expenditure.not_met.partial": "仅按已填写的收入{annual_income}元计算，刚性支出{expenditure}元已没有超过其{ratio_percent}%（{required}元）。",
    "rigid_expenditure.not_met.none": "没有填写近{months}个月的刚性支出（基本生活、医疗、教育、康复或其他必需支出）。",
    "rigid_expenditure.unknown": "还不能判断刚性支出是否超过家庭年收入的{ratio_percent}%，缺少：{missing}。",
    "rigid_expenditure.assumption": "广州的比例暂未查到，这里参照深圳市坪山区的{ratio_percent}%估算，以镇街认定为准。",
    "rigid_expenditure.left_out": "在读研究生的学费不计入教育支出（只算幼儿园到本科）。",
    "financial_assets.met": "人均金融资产{per_capita}元，不超过每人{limit_per_capita}元（{months}个月低保标准）。",
    "financial_assets.not_met": "人均金融资产{per_capita}元，超过每人{limit_per_capita}元（{months}个月低保标准）。",
    "financial_assets.unknown": "还不能判断人均金融资产是否超过每人{limit_per_capita}元，缺少：{missing}。",
    "homes.met": "家庭住房不超过{limit}套。",
    "homes.not_met": "家庭有两套或以上住房，超过{limit}套的上限。",
    "non_residential.met": "家庭没有商铺、写字楼、车库或车位。",
    "non_residential.not_met": "家庭有商铺、写字楼、车库或车位等非住宅房产，一般不符合。",
    "vehicles.met": "家庭没有汽车。",
    "vehicles.met.exempt": "家庭没有汽车；摩托车、电动车和残疾人代步车不计。",
    "vehicles.not_met": "家庭有汽车，一般不符合（摩托车、电动车和残疾人代步车不计）。",
    "vehicles.not_met.livelihood_before": "家庭有汽车；申请日在{livelihood_from}前，唯一的谋生用车也不能例外。",
    "vehicles.unknown.livelihood": "家庭唯一的汽车用于谋生：{livelihood_from}起这不再直接否决，由镇街综合评估。",
    "business.met": "家庭成员没有登记公司或有雇员的个体户。",
    "business.not_met": "有家庭成员登记了公司或有雇员的个体户，一般不符合。",
    "business.unknown.review": "家里有没有雇员的夫妻小店或小作坊：可以申请复核，复核后可视同没有经营登记。",
    "unable_to_work.met.age": "申请人{age}岁（满{adult_age}岁或未满{minor_age}岁），视为无劳动能力。",
    "unable_to_work.met.disability": "申请人残疾等级为{grade}级，视为无劳动能力。",
    "unable_to_work.not_met": "申请人{age}岁，不满{adult_age}岁也不小于{minor_age}岁，也没有登记重度残疾。",
    "no_supporter.met": "没有有能力的法定赡养、抚养、扶养人。",
    "no_supporter.not_met": "有处于劳动年龄、身体健康的法定赡养、抚养、扶养人，且家庭人均收入不低于低保标准。",
    "no_supporter.unknown.capacity": "有法定赡养、抚养、扶养人，但家庭收入较低，是否有能力履行由镇街评估。",
    "temporary_residence.met.hukou": "户籍在本市。",
    "temporary_residence.met.permit": "持有本市居住证。",
    "temporary_residence.met.one_year": "在本市居住满{years}年。",
    "temporary_residence.not_met": "非本市户籍，也没有居住证或居住满{years}年的证明。",
    "temporary_residence.unknown.emergency": "非本市户籍、未满{years}年，但困难是在本市突然发生的：国家关于分层分类社会救助的意见允许在困难发生地申请急难救助，以镇街意见为准。",
    "temporary_need.met.emergency": "{emergency_months}个月内遭遇突发事件，可以申请急难型临时救助（一般不超过{emergency_cap}元，每户每年累计不超过{family_cap}元）。",
    "temporary_need.met.spending": "近{spending_months}个月有必需支出{expenditure}元；是否超出家庭承受能力由镇街判断（支出型临时救助每户每年累计不超过{family_cap}元）。",
    "temporary_need.not_met": "没有报告突发事件，也没有近{spending_months}个月的必需支出。",
    "temporary_need.not_met.too_late": "突发事件发生已超过{emergency_months}个月，也没有近{spending_months}个月的必需支出。",
    "source": "（依据：{sources}）",
    "source.join": "；",
    "staff.note": "【说明：{note}】",
    "list.join": "、",
    "missing.district": "户籍所在区",
    "missing.assistance": "目前享受的救助",
    "missing.household_size": "家庭成员",
    "missing.members.lives_together": "亲属是否共同生活",
    "missing.members.hukou": "家庭成员的户籍",
    "missing.members.age": "家庭成员的年龄",
    "missing.applicant.age": "申请人的年龄",
    "missing.applicant.residence": "居住证或居住年限",
    "missing.income.sources": "收入来源",
    "missing.income.wages": "工资收入",
    "missing.income.business": "经营收入",
    "missing.income.pension": "退休金",
    "missing.income.transfers": "亲友给的钱",
    "missing.income.other": "其他收入",
    "missing.spending.kinds": "支出情况",
    "missing.spending.basic_living": "基本生活支出金额",
    "missing.spending.medical": "医疗支出金额",
    "missing.spending.education": "教育支出金额",
    "missing.spending.rehabilitation": "康复支出金额",
    "missing.spending.other": "其他支出金额",
    "missing.spending.sudden_date": "突发事件的日期",
    "missing.assets.financial": "金融资产",
    "missing.assets.owned": "房产、车辆和经营情况",
    "missing.assets.livelihood_vehicle": "汽车是否唯一谋生用车",
    "assistance.dibao": "低保",
    "assistance.tekun": "特困供养",
    "assistance.dibao_edge": "低保边缘",
    "assistance.temporary": "临时救助",
    "assistance.none": "无",
    "summary.heading": "初步结果（仅供参考）",
    "summary.disclaimer": "是否符合条件由镇街审核决定，以下只是根据您填写的内容得出的初步情况。",
    "summary.likely": "从您的回答看，可能符合：",
    "summary.unclear": "还需要工作人员核实：",
    "summary.unclear_item": "{label}（还需要了解：{missing}）",
    "summary.none": "从您的回答看，暂不符合我们初步筛查的政府救助项目。",
    "summary.charity": "可以为您转介的慈善帮扶：",
    "summary.no_charity": "暂时没有找到合适的慈善帮扶项目。",
    "summary.closing": "工作人员会认真阅读您的申请，并尽快与您联系。",
    "summary.bullet": "· ",
}

EN: dict[str, str] = {
    "programme.expense_hardship": "expense-type hardship household (支出型困难家庭)",
    "programme.dibao": "minimum living allowance (低保)",
    "programme.dibao_edge": "marginal low-income household (低保边缘)",
    "programme.tekun": "extreme-poverty support (特困)",
    "programme.temporary": "temporary assistance (临时救助)",
    "check.registration": "hukou in the city",
    "check.not_already_covered": "not already receiving 低保, 特困 or marginal support",
    "check.not_in_higher_tier": "not already receiving 低保 or 特困",
    "check.income_below_disposable": "per-capita annual income below the residents' disposable income",
    "check.income_below_dibao": "per-capita monthly income below the 低保 standard",
    "check.income_below_marginal": "per-capita monthly income below the marginal line",
    "check.rigid_expenditure": "rigid spending above the set share of income",
    "check.financial_assets": "financial assets per person",
    "check.homes": "homes",
    "check.non_residential": "shops, garages and other non-residential property",
    "check.vehicles": "motor vehicles",
    "check.business": "business registration",
    "check.unable_to_work": "unable to work",
    "check.no_supporter": "no relative able to support",
    "check.temporary_residence": "hukou or residence",
    "check.temporary_need": "sudden hardship or essential spending",
    "unknown": "Cannot tell yet; missing: {missing}.",
    "registration.met": "The household's hukou is in {district_label}, within the city.",
    "registration.met.member": "A household member's hukou is in the city; you can apply where that member is registered.",
    "registration.not_met": "Neither the applicant nor any member has a hukou in the city; this programme requires one.",
    "not_already_covered.met": "The household does not currently receive 低保, 特困 support or marginal low-income support.",
    "not_already_covered.not_met": "The household already receives {assistance_label}; the expense-type recognition is for households not yet covered.",
    "not_in_higher_tier.met": "The household does not currently receive 低保 or 特困 support.",
    "not_in_higher_tier.not_met": "The household already receives {assistance_label}, so it is not also recognised as marginal.",
    "income_below_disposable.met": "Per-capita annual income is {per_capita_annual_income} yuan, below last year's per-capita disposable income of the city's residents, {line} yuan.",
    "income_below_disposable.not_met": "Per-capita annual income is {per_capita_annual_income} yuan, not below last year's per-capita disposable income of the city's residents, {line} yuan.",
    "income_below_disposable.not_met.partial": "Counting only the income given so far, per-capita annual income is already {per_capita_annual_income} yuan, not below {line} yuan.",
    "income_below_disposable.unknown": "Cannot tell yet whether per-capita annual income is below {line} yuan; missing: {missing}.",
    "income_below_dibao.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, below the 低保 standard of {line} yuan per person per month. The sub-district office averages the {months} months before you apply.",
    "income_below_dibao.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below the 低保 standard of {line} yuan per person per month.",
    "income_below_dibao.not_met.partial": "Counting only the income given so far, per-capita monthly income is already {per_capita_monthly_income} yuan, not below the 低保 standard of {line} yuan.",
    "income_below_dibao.unknown": "Cannot tell yet whether per-capita monthly income is below the 低保 standard of {line} yuan; missing: {missing}.",
    "income_below_marginal.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, below the marginal line of {line} yuan ({multiple} times the 低保 standard).",
    "income_below_marginal.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below the marginal line of {line} yuan ({multiple} times the 低保 standard).",
    "income_below_marginal.not_met.partial": "Counting only the income given so far, per-capita monthly income is already {per_capita_monthly_income} yuan, not below the marginal line of {line} yuan.",
    "income_below_marginal.unknown": "Cannot tell yet whether per-capita monthly income is below {line} yuan; missing: {missing}.",
    "rigid_expenditure.met": "Rigid spending over the last {months} months is {expenditure} yuan, more than {ratio_percent}% of household income of {annual_income} yuan ({required} yuan).",
    "rigid_expenditure.met.zero_income": "The household had no income over the last {months} months and rigid spending of {expenditure} yuan, more than {ratio_percent}% of income.",
    "rigid_expenditure.not_met": "Rigid spending over the last {months} months is {expenditure} yuan, not more than {ratio_percent}% of household income of {annual_income} yuan ({required} yuan).",
    "rigid_expenditure.not_met.partial": "Counting only the income given so far ({annual_income} yuan), rigid spending of {expenditure} yuan is already not more than {ratio_percent}% of it ({required} yuan).",
    "rigid_expenditure.not_met.none": "No rigid spending (basic living, medical, education, rehabilitation or other essentials) was reported for the last {months} months.",
    "rigid_expenditure.unknown": "Cannot tell yet whether rigid spending is more than {ratio_percent}% of household income; missing: {missing}.",
    "rigid_expenditure.assumption": " Guangzhou's share was not found; this estimate borrows Shenzhen Pingshan's {ratio_percent}%. The sub-district office decides.",
    "rigid_expenditure.left_out": " Postgraduate fees are not counted as education spending (kindergarten to undergraduate only).",
    "financial_assets.met": "Financial assets are {per_capita} yuan per person, within {limit_per_capita} yuan per person ({months} months of the 低保 standard).",
    "financial_assets.not_met": "Financial assets are {per_capita} yuan per person, above {limit_per_capita} yuan per person ({months} months of the 低保 standard).",
    "financial_assets.unknown": "Cannot tell yet whether financial assets exceed {limit_per_capita} yuan per person; missing: {missing}.",
    "homes.met": "The household owns at most {limit} home.",
    "homes.not_met": "The household owns two or more homes, above the limit of {limit}.",
    "non_residential.met": "The household owns no shop, office, garage or parking space.",
    "non_residential.not_met": "The household owns a shop, office, garage or parking space, which usually rules it out.",
    "vehicles.met": "The household has no car.",
    "vehicles.met.exempt": "The household has no car; motorcycles, e-bikes and disability vehicles do not count.",
    "vehicles.not_met": "The household has a car, which usually rules it out (motorcycles, e-bikes and disability vehicles do not count).",
    "vehicles.not_met.livelihood_before": "The household has a car; before {livelihood_from} even the only vehicle used to earn a living was no exception.",
    "vehicles.unknown.livelihood": "The household's only car is used to earn a living: from {livelihood_from} this no longer rules it out; the sub-district office assesses it.",
    "business.met": "Nobody in the household has registered a company or a business with employees.",
    "business.not_met": "Someone in the household has registered a company or a business with employees, which usually rules it out.",
    "business.unknown.review": "The household runs a family stall or workshop without employees: it can ask for a review, after which it counts as having no registration.",
    "unable_to_work.met.age": "The applicant is {age} ({adult_age} or older, or under {minor_age}) and counts as unable to work.",
    "unable_to_work.met.disability": "The applicant has a grade {grade} disability and counts as unable to work.",
    "unable_to_work.not_met": "The applicant is {age}, neither {adult_age} or older nor under {minor_age}, with no severe disability recorded.",
    "no_supporter.met": "There is no relative with a legal duty of support who is able to fulfil it.",
    "no_supporter.not_met": "A relative of working age in good health has a legal duty of support, and household income is not below the 低保 standard.",
    "no_supporter.unknown.capacity": "A relative has a legal duty of support, but household income is low; the sub-district office assesses whether they can fulfil it.",
    "temporary_residence.met.hukou": "The applicant's hukou is in the city.",
    "temporary_residence.met.permit": "The applicant holds a Guangzhou residence permit.",
    "temporary_residence.met.one_year": "The applicant has lived in the city for {years} year or more.",
    "temporary_residence.not_met": "No hukou in the city, no residence permit and under {years} year of residence.",
    "temporary_residence.unknown.emergency": "No hukou, permit or {years} year of residence, but the hardship struck here: the national opinion on tiered assistance allows emergency help where it happens; the sub-district office decides.",
    "temporary_need.met.emergency": "A sudden event within the last {emergency_months} month(s): emergency temporary assistance can be applied for (usually up to {emergency_cap} yuan; at most {family_cap} yuan per household per year).",
    "temporary_need.met.spending": "Essential spending of {expenditure} yuan in the last {spending_months} months; the sub-district office judges whether it exceeded what the household can bear (at most {family_cap} yuan per household per year).",
    "temporary_need.not_met": "No sudden event and no essential spending in the last {spending_months} months were reported.",
    "temporary_need.not_met.too_late": "The sudden event was more than {emergency_months} month(s) ago, and no essential spending in the last {spending_months} months was reported.",
    "source": " (Source: {sources})",
    "source.join": "; ",
    "staff.note": " [Note: {note}]",
    "list.join": ", ",
    "missing.district": "district of hukou",
    "missing.assistance": "current assistance",
    "missing.household_size": "household members",
    "missing.members.lives_together": "whether relatives live with you",
    "missing.members.hukou": "members' hukou",
    "missing.members.age": "members' ages",
    "missing.applicant.age": "the applicant's age",
    "missing.applicant.residence": "residence permit or years of residence",
    "missing.income.sources": "sources of income",
    "missing.income.wages": "wages",
    "missing.income.business": "business income",
    "missing.income.pension": "pension",
    "missing.income.transfers": "money from relatives",
    "missing.income.other": "other income",
    "missing.spending.kinds": "spending",
    "missing.spending.basic_living": "the basic living amount",
    "missing.spending.medical": "the medical amount",
    "missing.spending.education": "the education amount",
    "missing.spending.rehabilitation": "the rehabilitation amount",
    "missing.spending.other": "the other essential amount",
    "missing.spending.sudden_date": "the date of the sudden event",
    "missing.assets.financial": "financial assets",
    "missing.assets.owned": "property, vehicles and business",
    "missing.assets.livelihood_vehicle": "whether the car is the only one, used for a living",
    "assistance.dibao": "低保 (minimum living allowance)",
    "assistance.tekun": "特困 (extreme poverty) support",
    "assistance.dibao_edge": "marginal low-income support",
    "assistance.temporary": "temporary assistance",
    "assistance.none": "none",
    "summary.heading": "Preliminary result (for reference only)",
    "summary.disclaimer": "The sub-district office decides whether you qualify. This is only what it looks like from your answers.",
    "summary.likely": "From your answers, you may qualify for:",
    "summary.unclear": "A caseworker will need to check:",
    "summary.unclear_item": "{label} (we still need: {missing})",
    "summary.none": "From your answers, the government programmes we pre-screen for do not seem to apply yet.",
    "summary.charity": "Charity help we can refer you to:",
    "summary.no_charity": "We have not found a suitable charity programme yet.",
    "summary.closing": "A caseworker will read your application carefully and contact you soon.",
    "summary.bullet": "- ",
}

text = Catalogue({"zh": ZH, "en": EN})  # text(locale, key, **values)
# rules whose Guangzhou value was borrowed: residents are told so in the reason itself
ASSUMPTIONS = ("rigid_expenditure",)


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
    names = [text(locale, f"missing.{code}", code) for code in codes]
    return text(locale, "list.join").join(dict.fromkeys(names))


def programme_label(key: str, locale: str = "zh") -> str:
    """A government programme's name."""
    return text(locale, f"programme.{key}")


def check_label(key: str, locale: str = "zh") -> str:
    """A rule's short name, e.g. for a caseworker's table."""
    return text(locale, f"check.{key}")


def check_reason(check: Any, locale: str = "zh", *, staff: bool = False) -> str:
    """The reason for one check (an eligibility.results.Check), with the sources of the parameters and the clause it follows.

    Residents read each figure's source with the day it applies from, never a staff mark; staff read
    the mark on figures not verified for the day and the rule's note on what it assumes.
    """
    figures = check.figures
    values: dict[str, Any] = {name: amount(value) for name, value in figures.items()}
    values["missing"] = missing_list(figures.get("missing") or [], locale)
    for name in ("district_label", "livelihood_from"):
        if isinstance(figures.get(name), dict):
            values[name] = figures[name].get(locale, figures[name].get("zh"))
    if "assistance" in figures:
        values["assistance_label"] = text(locale, f"assistance.{figures['assistance']}", figures["assistance"])
    outcome, variant = str(check.outcome), check.variant
    candidates = [f"{check.key}.{outcome}.{variant}", f"{check.key}.{outcome}"] if variant else [f"{check.key}.{outcome}"]
    key = next((c for c in candidates if text.knows(c)), "unknown")
    reason = text(locale, key, **values)
    if figures.get("left_out"):
        reason += text(locale, f"{check.key}.left_out")
    if check.key in ASSUMPTIONS and any(p.uncertain for p in check.parameters):
        reason += text(locale, f"{check.key}.assumption", **values)
    cited = [p.staff_cite(locale) if staff else p.cite(locale) for p in check.parameters]
    # the clause is named once: a parameter read from the same text already cites it
    if check.basis and not any(p.source_text() == check.basis for p in check.parameters):
        cited.append(check.basis)
    sources = list(dict.fromkeys(cited))
    if sources:
        reason += text(locale, "source", sources=text(locale, "source.join").join(sources))
    if staff and check.note:
        reason += text(locale, "staff.note", note=check.note)
    return reason
