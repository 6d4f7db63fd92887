"""Every pre-screen wording, one table per locale (zh Simplified, en)."""
from __future__ import annotations

from typing import Any

from dialogs.catalogue import LOCALES, Catalogue
from knowledge.params import day_en, day_zh, expired_notices

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
    "temporary_need.met.spending": "近{spending_months}个月有教育或医疗支出{expenditure}元（需学校或定点医疗机构的缴费凭据）；是否超出家庭承受能力由镇街判断（支出型临时救助每户每年累计不超过{family_cap}元）。",
    "temporary_need.not_met": "没有报告突发事件，也没有近{spending_months}个月的教育、医疗或住院照料支出。",
    "temporary_need.not_met.too_late": "突发事件发生已超过{emergency_months}个月，也没有近{spending_months}个月的必需支出。",
    "income_below_dibao.unknown.floor": "家庭人均月收入{per_capita_monthly_income}元，不低于{line}元；但{line}元是上调前的旧标准，当时的新标准未查到，由镇街核实。",
    "income_below_marginal.unknown.floor": "家庭人均月收入{per_capita_monthly_income}元，不低于{line}元；但{line}元按上调前的旧标准算出，由镇街核实。",
    "financial_assets.unknown.floor": "人均金融资产{per_capita}元，超过每人{limit_per_capita}元；但这是按上调前的旧标准算出的限额，由镇街核实。",
    "financial_assets.unknown.to_check": "人均金融资产{per_capita}元，超过低保边缘的每人{limit_per_capita}元；这一类救助的财产条件可以适当放宽，广州的具体规定未查到，由镇街核实。",
    "variant.to_check": "超出低保边缘家庭的财产条件；这一类救助的财产条件可以适当放宽，广州的具体规定未查到，由镇街核实。",
    "unable_to_work.met.disability": "申请人为{kind_label}{grade}级，视为无劳动能力。",
    "unable_to_work.not_met.kind": "申请人{age}岁，{kind_label}{grade}级不在视为无劳动能力的残疾类别和等级之内。",
    "unable_to_work.unknown.multiple": "申请人为多重残疾{grade}级，是否视为无劳动能力要看各类残疾的等级，由镇街核实。",
    "temporary_need.unknown.maybe": "近{spending_months}个月有康复或其他支出{expenditure}元；如果是住院照料或定点医疗机构的费用，可以申请支出型临时救助，由镇街核实。",
    "temporary_need.not_met.basic_only": "只报告了基本生活支出；支出型临时救助要看近{spending_months}个月的教育、定点医疗或住院照料支出。",
    "estimate": "（广州的这一数字尚未查到，仅作估算）",
    "labelled": "{label}：{reason}",
    "kind.intellectual": "智力残疾",
    "kind.mental": "精神残疾",
    "kind.physical": "肢体残疾",
    "kind.visual": "视力残疾",
    "kind.hearing": "听力残疾",
    "kind.speech": "言语残疾",
    "kind.multiple": "多重残疾",
    "verdict.met": "符合",
    "verdict.not_met": "不符合",
    "verdict.unknown": "需核实",
    "line": "【{verdict}】{reason}",
    "line.since": "（标准{since}）",
    "margin.income.up": "12个月收入合计再多{change}元，就会达到这条线。",
    "margin.income.down": "12个月收入合计少{change}元，就会低于这条线。",
    "margin.rigid_expenditure.income.up": "12个月收入合计再多{change}元，刚性支出就不再超过所需比例。",
    "margin.spending.up": "刚性支出再多{change}元，就会超过所需比例。",
    "margin.financial.up": "金融资产再多{change}元，就会超过上限。",
    "margin.financial.down": "金融资产少{change}元，就会在上限之内。",
    "programme_verdict.met": "可能符合",
    "programme_verdict.not_met": "暂不符合",
    "programme_verdict.unknown": "需要核实",
    "summary.programme": "{label}：{verdict}",
    "summary.none": "从您的回答看，我们初步筛查的政府救助项目暂时都不适用。",
    "summary.advice": "这只是根据您的回答做的估算，是否符合由镇街审核决定；无论结果如何，您都可以提出申请。",
    "summary.stale": "以上标准数字出自{sources}（有效期至{until}）；还没有查到更新的通知，现行标准请以民政部门确认为准。",
    "missing.applicant.disability_kind": "残疾类别",
    "missing.members.support_duty": "同住亲属是否负有法定扶养义务（工作人员会问）",
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
    "check.not_already_covered": "not already receiving dibao, tekun or marginal support",
    "check.not_in_higher_tier": "not already receiving dibao or tekun",
    "check.income_below_disposable": "per-capita annual income below the residents' disposable income",
    "check.income_below_dibao": "per-capita monthly income below the dibao standard",
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
    "not_already_covered.met": "The household does not currently receive dibao, tekun support or marginal low-income support.",
    "not_already_covered.not_met": "The household already receives {assistance_label}; the expense-type recognition is for households not yet covered.",
    "not_in_higher_tier.met": "The household does not currently receive dibao or tekun support.",
    "not_in_higher_tier.not_met": "The household already receives {assistance_label}, so it is not also recognised as marginal.",
    "income_below_disposable.met": "Per-capita annual income is {per_capita_annual_income} yuan, below last year's per-capita disposable income of the city's residents, {line} yuan.",
    "income_below_disposable.not_met": "Per-capita annual income is {per_capita_annual_income} yuan, not below last year's per-capita disposable income of the city's residents, {line} yuan.",
    "income_below_disposable.not_met.partial": "Counting only the income given so far, per-capita annual income is already {per_capita_annual_income} yuan, not below {line} yuan.",
    "income_below_disposable.unknown": "Cannot tell yet whether per-capita annual income is below {line} yuan; missing: {missing}.",
    "income_below_dibao.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, below the dibao standard of {line} yuan per person per month. The sub-district office averages the {months} months before you apply.",
    "income_below_dibao.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below the dibao standard of {line} yuan per person per month.",
    "income_below_dibao.not_met.partial": "Counting only the income given so far, per-capita monthly income is already {per_capita_monthly_income} yuan, not below the dibao standard of {line} yuan.",
    "income_below_dibao.unknown": "Cannot tell yet whether per-capita monthly income is below the dibao standard of {line} yuan; missing: {missing}.",
    "income_below_marginal.met": "Per-capita monthly income is {per_capita_monthly_income} yuan, below the marginal line of {line} yuan ({multiple} times the dibao standard).",
    "income_below_marginal.not_met": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below the marginal line of {line} yuan ({multiple} times the dibao standard).",
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
    "financial_assets.met": "Financial assets are {per_capita} yuan per person, within {limit_per_capita} yuan per person ({months} months of the dibao standard).",
    "financial_assets.not_met": "Financial assets are {per_capita} yuan per person, above {limit_per_capita} yuan per person ({months} months of the dibao standard).",
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
    "unable_to_work.not_met": "The applicant is {age}, neither {adult_age} or older nor under {minor_age}, with no severe disability recorded.",
    "no_supporter.met": "There is no relative with a legal duty of support who is able to fulfil it.",
    "no_supporter.not_met": "A relative of working age in good health has a legal duty of support, and household income is not below the dibao standard.",
    "no_supporter.unknown.capacity": "A relative has a legal duty of support, but household income is low; the sub-district office assesses whether they can fulfil it.",
    "temporary_residence.met.hukou": "The applicant's hukou is in the city.",
    "temporary_residence.met.permit": "The applicant holds a Guangzhou residence permit.",
    "temporary_residence.met.one_year": "The applicant has lived in the city for {years} year or more.",
    "temporary_residence.not_met": "No hukou in the city, no residence permit and under {years} year of residence.",
    "temporary_residence.unknown.emergency": "No hukou, permit or {years} year of residence, but the hardship struck here: the national opinion on tiered assistance allows emergency help where it happens; the sub-district office decides.",
    "temporary_need.met.emergency": "A sudden event within the last {emergency_months} month(s): emergency temporary assistance can be applied for (usually up to {emergency_cap} yuan; at most {family_cap} yuan per household per year).",
    "temporary_need.met.spending": "Education or medical spending of {expenditure} yuan in the last {spending_months} months (receipts from the school or a designated medical institution are needed); the sub-district office judges whether it exceeded what the household can bear (at most {family_cap} yuan per household per year).",
    "temporary_need.not_met": "No sudden event and no education, medical or hospital-care spending in the last {spending_months} months were reported.",
    "temporary_need.not_met.too_late": "The sudden event was more than {emergency_months} month(s) ago, and no essential spending in the last {spending_months} months was reported.",
    "income_below_dibao.unknown.floor": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below {line} yuan; but {line} yuan is the standard before a raise whose figure was not found, so the sub-district office checks.",
    "income_below_marginal.unknown.floor": "Per-capita monthly income is {per_capita_monthly_income} yuan, not below {line} yuan; but {line} yuan comes from the standard before a raise, so the sub-district office checks.",
    "financial_assets.unknown.floor": "Financial assets are {per_capita} yuan per person, above {limit_per_capita} yuan; but that limit comes from the standard before a raise, so the sub-district office checks.",
    "financial_assets.unknown.to_check": "Financial assets are {per_capita} yuan per person, above the marginal household limit of {limit_per_capita} yuan; this programme may loosen the property rules and Guangzhou's own rule was not found, so the sub-district office checks.",
    "variant.to_check": "Beyond the marginal household property rules; this programme may loosen them and Guangzhou's own rule was not found, so the sub-district office checks.",
    "unable_to_work.met.disability": "The applicant has a grade {grade} {kind_label} disability and counts as unable to work.",
    "unable_to_work.not_met.kind": "The applicant is {age}; a grade {grade} {kind_label} disability is not among the kinds and grades that count as unable to work.",
    "unable_to_work.unknown.multiple": "The applicant has a grade {grade} multiple disability; whether it counts as unable to work depends on each part, so the sub-district office checks.",
    "temporary_need.unknown.maybe": "Rehabilitation or other costs of {expenditure} yuan in the last {spending_months} months; if they are hospital care or costs at a designated medical institution, spending-type temporary assistance can be applied for; the sub-district office checks.",
    "temporary_need.not_met.basic_only": "Only basic living costs were reported; spending-type temporary assistance looks at education, designated medical or hospital-care costs in the last {spending_months} months.",
    "estimate": " (Guangzhou's figure was not found; this is an estimate)",
    "labelled": "{label}: {reason}",
    "kind.intellectual": "intellectual",
    "kind.mental": "mental",
    "kind.physical": "physical",
    "kind.visual": "visual",
    "kind.hearing": "hearing",
    "kind.speech": "speech",
    "kind.multiple": "multiple",
    "verdict.met": "met",
    "verdict.not_met": "not met",
    "verdict.unknown": "to be checked",
    "line": "[{verdict}] {reason}",
    "line.since": " (line {since})",
    "margin.income.up": "Another {change} yuan of income over 12 months would reach this line.",
    "margin.income.down": "{change} yuan less income over 12 months would bring it below this line.",
    "margin.rigid_expenditure.income.up": "Another {change} yuan of income over 12 months and rigid spending would no longer exceed the share.",
    "margin.spending.up": "Another {change} yuan of rigid spending would exceed the share.",
    "margin.financial.up": "Another {change} yuan of financial assets would pass the limit.",
    "margin.financial.down": "{change} yuan less in financial assets would be within the limit.",
    "programme_verdict.met": "you may qualify",
    "programme_verdict.not_met": "does not seem to apply yet",
    "programme_verdict.unknown": "to be checked",
    "summary.programme": "{label}: {verdict}",
    "summary.none": "From your answers, the government programmes we pre-screen for do not seem to apply yet.",
    "summary.advice": "This is only an estimate from your answers; the sub-district office decides, and you may apply whatever it says.",
    "summary.stale": "The standards above come from {sources} (valid to {until}); no newer notice has been found, so the civil affairs office confirms the current standard.",
    "missing.applicant.disability_kind": "the kind of disability",
    "missing.members.support_duty": "whether a relative living with you has a legal duty of support (a caseworker will ask)",
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


def _plain_reason(check: Any, values: dict[str, Any], locale: str) -> str:
    """The reason's own sentence: the household's figures against the line, no citation."""
    outcome, variant = str(check.outcome), check.variant
    candidates = ([f"{check.key}.{outcome}.{variant}", f"{check.key}.{outcome}", f"variant.{variant}"] if variant
                  else [f"{check.key}.{outcome}"])
    key = next((c for c in candidates if text.knows(c)), "unknown")
    reason = text(locale, key, **values)
    if key.startswith("variant."):
        # a wording shared by several rules names the rule it is about
        reason = text(locale, "labelled", label=check_label(check.key, locale), reason=reason)
    # a line whose Guangzhou figure was never found (not merely past its notice's validity) is an estimate
    line = check.parameters[0] if check.parameters else None
    if (line is not None and check.key not in ASSUMPTIONS and not line.verified and not line.expired_on
            and not line.at_least):
        reason += text(locale, "estimate")
    return reason


def _figure_values(check: Any, locale: str) -> dict[str, Any]:
    figures = check.figures
    values: dict[str, Any] = {name: amount(value) for name, value in figures.items()}
    values["missing"] = missing_list(figures.get("missing") or [], locale)
    for name in ("district_label", "livelihood_from"):
        if isinstance(figures.get(name), dict):
            values[name] = figures[name].get(locale, figures[name].get("zh"))
    if "assistance" in figures:
        values["assistance_label"] = text(locale, f"assistance.{figures['assistance']}", figures["assistance"])
    if figures.get("kind"):
        values["kind_label"] = text(locale, f"kind.{figures['kind']}", str(figures["kind"]))
    return values


def margin_sentence(check: Any, locale: str = "zh") -> str:
    """How far the household is from the line, to the yuan, from the margin the rule recorded."""
    found = check.figures.get("margin")
    if not isinstance(found, dict) or not found.get("change"):
        return ""
    change, field = found["change"], found["field"]
    direction = "up" if change > 0 else "down"
    for key in (f"margin.{check.key}.{field}.{direction}", f"margin.{field}.{direction}"):
        if text.knows(key):
            return text(locale, key, change=amount(abs(change)))
    return ""


def check_line(check: Any, locale: str = "zh") -> str:
    """One short line a resident (and the caseworker) reads: the verdict, the household's figure
    against the line and the day the line applies from, and the margin to the yuan."""
    reason = _plain_reason(check, _figure_values(check, locale), locale)
    line = text(locale, "line", verdict=text(locale, f"verdict.{check.outcome}"), reason=reason)
    estimate = reason.endswith(text(locale, "estimate"))
    if (check.parameters and not estimate
            and check.figures.get("line", check.figures.get("limit_per_capita")) is not None):
        line += text(locale, "line.since", since=check.parameters[0].applies_from(locale))
    more = margin_sentence(check, locale)
    return f"{line}{' ' if locale == 'en' and more else ''}{more}"


def standards_line(parameters: list[Any], locale: str = "zh") -> str:
    """The one line about the age of the standards: the notice past its own validity, named once."""
    expired = expired_notices(parameters)
    if expired is None:
        return ""
    named, until = expired
    day = day_zh(until) if locale == "zh" else day_en(until)
    return text(locale, "summary.stale", sources=text(locale, "source.join").join(named), until=day)


def check_reason(check: Any, locale: str = "zh", *, staff: bool = False) -> str:
    """The reason for one check (an eligibility.results.Check), with the sources of the parameters and the clause it follows.

    Residents read each figure's source with the day it applies from, never a staff mark; staff read
    the mark on figures not verified for the day and the rule's note on what it assumes.
    """
    figures = check.figures
    values = _figure_values(check, locale)
    reason = _plain_reason(check, values, locale)
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
