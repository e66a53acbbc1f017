"""差旅费 — travel expenses under the Bureau's 差旅管理办法 (finance.travel).

Input::

    {"rank": "department" | "other",
     "legs": [{"region": R, "days": n, "meal_rate"?: x}, ...],
     "unit_transport"?: bool,                 # the unit provided transport
     "lodging"?: {"nights": n, "amount": x, "invoice": bool, "cap_per_night"?: x},
     "transport"?: [{"amount": x, "mode"?: "air"|"ship"|"rail"|"other", "class"?: c,
                     "entitled_fare"?: x}],
     "all_deputy_county_or_above"?: bool}     # every traveller is 副县级 or above

Regions R: ``out_of_province`` (省外), ``in_province`` (省内其他市州), ``in_province_ethnic``
(甘孜、阿坝、凉山), ``ziyang_county`` (简阳、安岳、乐至), ``yanjiang_rural`` (雁江区城区以外).
"""

from __future__ import annotations

from decimal import Decimal

from .errors import CalcError
from .fields import DAYS, Amount, Bool, Choice, Form, Group, Int, ListOf
from .money import ZERO, fmt, fmt_money, percent
from .result import Result, guarded
from .rules import classes, clause_of, value

NAME = "travel"
TITLE = {"zh": "差旅费", "en": "Travel expenses"}
SECTION = "finance.travel"
DEFAULT_INPUT = {
    "rank": "other",
    "legs": [{"region": "in_province", "days": 4}],
    "lodging": {"nights": 3, "amount": 540, "invoice": True},
    "transport": [
        {"amount": 96.5, "mode": "rail", "class": "hsr_second"},
        {"amount": 96.5, "mode": "rail", "class": "hsr_second"},
    ],
}

APPROVAL = "finance.travel.approval"
TRANSPORT = "finance.travel.intercity-transport"
LODGING = "finance.travel.lodging"
MEAL = "finance.travel.meal-allowance"
MISC = "finance.travel.misc-allowance"
REIMBURSEMENT = "finance.travel.reimbursement"

RANKS = {
    "department": ("厅级及相当职务人员", "officials at department (ting) level or equivalent"),
    "other": ("其余人员", "other staff"),
}

# region -> (zh, en, meal value id or None (省外: from the annex), misc value id)
REGIONS = {
    "out_of_province": ("省外", "outside Sichuan Province", None, "travel.misc.out_of_province"),
    "in_province": ("省内(内地)", "within Sichuan Province (general areas)",
                    "travel.meal.in_province", "travel.misc.in_province"),
    "in_province_ethnic": ("省内甘孜、阿坝、凉山", "within Sichuan Province: Garzê, Aba and Liangshan",
                           "travel.meal.in_province_ethnic", "travel.misc.in_province"),
    "ziyang_county": ("市内简阳、安岳、乐至", "within the city: Jianyang, Anyue and Lezhi",
                      "travel.meal.ziyang_county", "travel.misc.ziyang_county"),
    "yanjiang_rural": ("市内雁江区(不含城区)", "within the city: Yanjiang District outside its urban area",
                       "travel.meal.yanjiang_rural", "travel.misc.yanjiang_rural"),
}
REGION_LABELS = {code: (zh, en) for code, (zh, en, _, _) in REGIONS.items()}
# Regions inside the city's own counties (districts): lodging there needs the principal leader's consent.
CITY_REGIONS = ("ziyang_county", "yanjiang_rural")

MODES = {
    "air": ("飞机", "air"),
    "ship": ("轮船", "ship"),
    "rail": ("火车", "rail"),
    "other": ("其他交通工具", "other transport"),
}
CLASSED_MODES = ("air", "ship", "rail")
# Classes the table does not list: above every rank's entitlement, or below it.
HIGHER = {"air": ("business", "first"), "ship": ("first", "special"), "rail": ("hsr_business", "deluxe_soft_sleeper")}
LOWER = {"air": (), "ship": ("third", "fourth"), "rail": ()}
CLASS_LABELS = {
    ("air", "economy"): ("普通舱(经济舱)", "economy class"),
    ("air", "business"): ("公务舱", "business class"),
    ("air", "first"): ("头等舱", "first class"),
    ("ship", "special"): ("特等舱", "special class"),
    ("ship", "first"): ("一等舱", "first class"),
    ("ship", "second"): ("二等舱", "second class"),
    ("ship", "third"): ("三等舱", "third class"),
    ("ship", "fourth"): ("四等舱", "fourth class"),
    ("rail", "hard_seat"): ("硬座", "hard seat"),
    ("rail", "hard_sleeper"): ("硬卧", "hard sleeper"),
    ("rail", "hsr_second"): ("高铁/动车二等座", "high-speed/bullet train second class"),
    ("rail", "all_soft_second"): ("全列软席列车二等软座", "all-soft-seat train second-class soft seat"),
    ("rail", "soft_seat"): ("软座", "soft seat"),
    ("rail", "soft_sleeper"): ("软卧", "soft sleeper"),
    ("rail", "hsr_first"): ("高铁/动车一等座", "high-speed/bullet train first class"),
    ("rail", "all_soft_first"): ("全列软席列车一等软座", "all-soft-seat train first-class soft seat"),
    ("rail", "hsr_business"): ("高铁/动车商务座", "high-speed/bullet train business class"),
    ("rail", "deluxe_soft_sleeper"): ("高级软卧", "deluxe soft sleeper"),
}

MAX_LEGS = 64  # input bounds
MAX_TRANSPORT = 128


def _class_label(mode: str, cls: str) -> tuple[str, str]:
    return CLASS_LABELS.get((mode, cls), (cls, cls))


def known_classes(mode: str) -> list[str]:
    out: list[str] = []
    for c in LOWER[mode] + tuple(classes(f"travel.class.other.{mode}")) + tuple(classes(f"travel.class.department.{mode}")) + HIGHER[mode]:
        if c not in out:
            out.append(c)
    return out


def entitled(rank: str, mode: str) -> list[str]:
    """The classes a rank may use: its own, any lower rank's, and the unlisted lower ones."""
    out = list(LOWER[mode]) + classes(f"travel.class.{rank}.{mode}")
    if rank == "department":
        out += classes(f"travel.class.other.{mode}")
    return out


FIELDS = Form(
    Choice(name="rank", label=("出差人员级别", "Rank of the traveller"), choices=RANKS),
    ListOf(name="legs", label=("行程", "Legs"), help=("每个目的地一段", "one per destination"), lo=1, hi=MAX_LEGS,
           item=("第{n}段行程", "Leg {n}"), add=("添加一段行程", "Add a leg"), new={"region": "in_province", "days": 1},
           fields=(
               Choice(name="region", label=("目的地", "Destination"), choices=REGION_LABELS, form="place"),
               Int(name="days", label=("天数", "Days"), help=("当天来回按1天", "a same-day return is 1"),
                   lo=DAYS[0], hi=DAYS[1], unit=("天", "days")),
               Amount(name="meal_rate", label=("伙食补助标准", "Meal allowance rate"), required=False,
                      help=("元/天;省外行程必填,按附表标准", "yuan a day; required outside Sichuan, at the annex rate")),
           )),
    Bool(name="unit_transport", label=("单位提供了交通工具", "The unit provided transport"), required=False, default=False),
    Bool(name="all_deputy_county_or_above", label=("出差人全部为副县级及以上干部", "All travellers are deputy county level or above"),
         required=False, default=False),
    Group(name="lodging", label=("住宿", "Lodging"), required=False, new={"invoice": True}, fields=(
        Int(name="nights", label=("晚数", "Nights"), lo=DAYS[0], hi=DAYS[1], unit=("晚", "nights")),
        Amount(name="amount", label=("住宿费金额", "Lodging cost"), help=("发票金额", "as invoiced")),
        Bool(name="invoice", label=("有住宿发票", "Has a lodging invoice")),
        Amount(name="cap_per_night", label=("住宿费限额", "Lodging cap"), required=False,
               help=("元/晚,按职务级别,见资财行〔2016〕50号", "yuan a night, by rank, as set in 资财行〔2016〕50号")),
    )),
    ListOf(name="transport", label=("城市间交通费", "Intercity transport"), help=("每张票据一行", "one line per ticket"),
           required=False, default=[], lo=0, hi=MAX_TRANSPORT, item=("票据{n}", "Ticket {n}"),
           add=("添加一张票据", "Add a ticket"), new={"mode": "rail"}, fields=(
               Amount(name="amount", label=("金额", "Amount")),
               Choice(name="mode", label=("交通工具", "Means of transport"), choices=MODES, required=False, default="other"),
               Choice(name="class", label=("舱位/席别", "Class"), required=False, form="cls",
                      choices=lambda: {cls: label for by_mode in class_choices().values() for cls, label in by_mode.items()},
                      by=lambda: class_choices()),
               Amount(name="entitled_fare", label=("应乘等级票价", "Fare of the entitled class"), required=False),
           )),
)


def class_choices() -> dict[str, dict[str, tuple[str, str]]]:
    """Mode -> {class: label}, every class the engine knows, lowest first."""
    return {mode: {c: _class_label(mode, c) for c in known_classes(mode)} for mode in CLASSED_MODES}


def _read(data) -> dict:
    inp = FIELDS.read(data)
    total_days = sum(leg["days"] for leg in inp["legs"])
    if total_days > DAYS[1]:
        raise FIELDS.error("legs", f"各段天数合计 {total_days} 天,超过 {DAYS[1]} 天",
                           f"the legs add up to {total_days} days, more than {DAYS[1]}")
    for i, t in enumerate(inp["transport"]):
        if "class" not in t:
            continue
        if t["mode"] not in CLASSED_MODES:
            raise FIELDS.error(
                f"transport[{i}].class",
                "等级只适用于飞机、轮船、火车(mode 为 air、ship、rail);其他交通工具凭据报销,没有等级",
                "a class applies only to air, ship and rail (mode air, ship, rail); other transport is reimbursed on "
                "receipts and has no class")
        if t["class"] not in known_classes(t["mode"]):
            names = "、".join(f"{zh}({c})" for c, (zh, _) in class_choices()[t["mode"]].items())
            names_en = ", ".join(f"{c} ({en})" for c, (_, en) in class_choices()[t["mode"]].items())
            raise FIELDS.error(f"transport[{i}].class", f"{MODES[t['mode']][0]}的等级须为以下之一:{names}",
                               f"a class of {MODES[t['mode']][1]} must be one of {names_en}")
    return inp


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    rank = inp["rank"]
    legs = inp["legs"]
    total_days = sum(leg["days"] for leg in legs)
    unit_transport = inp["unit_transport"]
    lodging = inp.get("lodging")
    voided = lodging is not None and not lodging["invoice"]

    # ---- what each part comes to: (zh, en, amount, clause)
    parts: list[tuple[str, str, Decimal, str]] = []
    misc_factor = percent(value("travel.misc.unit_transport_percent")) if unit_transport else None
    for i, leg in enumerate(legs):
        region_zh, region_en, meal_id, misc_id = REGIONS[leg["region"]]
        n = leg["days"]
        if meal_id is None:
            if "meal_rate" not in leg:
                p = f"legs[{i}].meal_rate"
                raise CalcError(
                    p,
                    f"字段 {p}:省外的伙食补助标准见《资阳市市直机关差旅费管理办法》附表,本手册未收录该附表;"
                    "请填写出差目的地的伙食补助标准(元/人·天)。",
                    f"field {p}: the meal allowance rate outside Sichuan is set in an annex to the Measures for the "
                    "Management of Travel Expenses of Municipal Organs of Ziyang, which the handbook does not contain; "
                    "enter the destination's rate (yuan per person per day).",
                )
            meal_rate = leg["meal_rate"]
            r.note(f"第 {i + 1} 段行程(省外)的伙食补助标准 {fmt(meal_rate)} 元/天为使用者填写的附表标准,本手册未核对。",
                   f"Leg {i + 1} (outside Sichuan): the meal allowance rate of {fmt(meal_rate)} yuan/day is the annex "
                   "rate you entered; the handbook has not checked it.", MEAL)
        else:
            meal_rate = value(meal_id)
            if "meal_rate" in leg:
                r.note(f"第 {i + 1} 段行程:meal_rate 只用于省外行程,本段按标准表的 {fmt(meal_rate)} 元/天计算。",
                       f"Leg {i + 1}: meal_rate applies only outside Sichuan; this leg uses the table rate of "
                       f"{fmt(meal_rate)} yuan/day.", MEAL)
        parts.append((
            f"伙食补助费({region_zh}):{fmt(meal_rate)} 元/天 × {n} 天",
            f"Meal allowance ({region_en}): {fmt(meal_rate)} yuan/day × {n} day(s)",
            meal_rate * n, clause_of(meal_id) if meal_id else MEAL,
        ))
        misc_rate = value(misc_id)
        if misc_factor is None:
            parts.append((
                f"公杂费({region_zh}):{fmt(misc_rate)} 元/天 × {n} 天",
                f"Miscellaneous allowance ({region_en}): {fmt(misc_rate)} yuan/day × {n} day(s)",
                misc_rate * n, clause_of(misc_id),
            ))
        else:
            pct = fmt(value("travel.misc.unit_transport_percent"))
            parts.append((
                f"公杂费({region_zh},单位提供交通工具,按 {pct}%):{fmt(misc_rate)} 元/天 × {pct}% × {n} 天",
                f"Miscellaneous allowance ({region_en}, unit provided transport, at {pct}%): "
                f"{fmt(misc_rate)} yuan/day × {pct}% × {n} day(s)",
                misc_rate * misc_factor * n, clause_of("travel.misc.unit_transport_percent"),
            ))

    if lodging is not None:
        nights, claimed = lodging["nights"], lodging["amount"]
        cap = lodging.get("cap_per_night")
        if cap is None:
            parts.append((f"住宿费:{nights} 晚,按发票金额", f"Lodging: {nights} night(s), as invoiced", claimed, LODGING))
            if not voided:
                r.warn(
                    "未填写住宿费限额(lodging.cap_per_night):住宿费限额标准见《关于调整市直机关差旅住宿费标准有关问题的通知》"
                    "(资财行〔2016〕50号),按职务级别确定,本手册未收录;本次按填写金额计算,请自行核对是否超过限额。",
                    "No lodging cap given (lodging.cap_per_night): the caps by rank are set in the notice on adjusting "
                    "the lodging rates of municipal organs (资财行〔2016〕50号), which the handbook does not contain; the "
                    "amount is taken as entered, so check it against your cap.", LODGING)
        else:
            limit = cap * nights
            allowed = min(claimed, limit)
            parts.append((
                f"住宿费:{nights} 晚,限额 {fmt(cap)} 元/晚(合计 {fmt_money(limit)} 元),发票金额 {fmt_money(claimed)} 元",
                f"Lodging: {nights} night(s), cap {fmt(cap)} yuan/night ({fmt_money(limit)} yuan in all), "
                f"invoiced {fmt_money(claimed)} yuan",
                allowed, LODGING,
            ))
            if claimed > limit and not voided:
                r.warn(f"住宿费超过限额 {fmt_money(claimed - limit)} 元,超出部分不予报销。",
                       f"The lodging exceeds the cap by {fmt_money(claimed - limit)} yuan; the excess is not reimbursed.",
                       REIMBURSEMENT)
        if nights > total_days:
            r.warn(f"住宿 {nights} 晚多于出差天数 {total_days} 天;住宿费只在批准的出差天数内报销。",
                   f"{nights} night(s) of lodging exceed the {total_days} day(s) of travel; lodging is reimbursed only "
                   "within the approved days of travel.", REIMBURSEMENT)
        city_legs = [i + 1 for i, leg in enumerate(legs) if leg["region"] in CITY_REGIONS]
        if city_legs:
            r.warn("在资阳市所辖县(区)出差原则上不住宿;确需住宿的,须经局主要领导同意(由经办人报分管科室的局(会)领导同意后再报局主要领导审签)。",
                   "Travel within the counties (districts) under Ziyang as a rule involves no overnight stay; lodging "
                   "there needs the consent of the Bureau's principal leader (the leader in charge of the section "
                   "agrees first, then the principal leader signs).", LODGING)
            r.note("“市内所辖县(区)”包括雁江区:行程中有简阳、安岳、乐至或雁江区(不含城区)且有住宿时即提示须经局主要领导同意;"
                   "本计算器无法判断住宿发生在哪一段行程。",
                   "“The counties (districts) under the city” include Yanjiang District: the principal leader's consent "
                   "is flagged whenever a leg is in Jianyang, Anyue, Lezhi or rural Yanjiang and there is lodging, as "
                   "the calculator cannot tell on which leg the stay took place.", LODGING)

    flights = False
    for i, t in enumerate(inp["transport"]):
        mode, amount = t["mode"], t["amount"]
        mode_zh, mode_en = MODES[mode]
        cls = t.get("class")
        if mode == "air":
            flights = True
        zh = f"城市间交通费 {i + 1}:{mode_zh}"
        en = f"Intercity transport {i + 1}: {mode_en}"
        if cls is not None:
            c_zh, c_en = _class_label(mode, cls)
            zh += f"({c_zh})"
            en += f" ({c_en})"
        claim = amount
        if cls is not None and cls not in entitled(rank, mode):
            ok = ", ".join(_class_label(mode, c)[1] for c in classes(f"travel.class.{rank}.{mode}"))
            ok_zh = "、".join(_class_label(mode, c)[0] for c in classes(f"travel.class.{rank}.{mode}"))
            fare = t.get("entitled_fare")
            if fare is not None:
                claim = min(amount, fare)
                excess_zh = f"按规定等级票价 {fmt_money(fare)} 元报销,超支 {fmt_money(amount - claim)} 元由个人自理。"
                excess_en = (f"It is reimbursed at the entitled fare of {fmt_money(fare)} yuan; the excess of "
                             f"{fmt_money(amount - claim)} yuan is the traveller's own.")
                zh += f",按规定等级票价 {fmt_money(fare)} 元"
                en += f", at the entitled fare of {fmt_money(fare)} yuan"
            else:
                zh += "(未扣除超标准部分)"
                en += " (excess over the entitled class not deducted)"
                excess_zh = (f"超支部分由个人自理;请在 transport[{i}].entitled_fare 填写规定等级的票价以扣除超支部分"
                             "(本次按票面金额计入,未扣除)。")
                excess_en = (f"The excess is the traveller's own; enter the entitled class's fare in transport[{i}].entitled_fare "
                             "to deduct it (the ticket amount is counted as entered, undeducted).")
            if not (voided or unit_transport):
                r.warn(f"第 {i + 1} 项交通费的等级({_class_label(mode, cls)[0]})高于{RANKS[rank][0]}可乘坐的等级({ok_zh})。" + excess_zh,
                       f"Transport item {i + 1} is in a class ({_class_label(mode, cls)[1]}) above what {RANKS[rank][1]} "
                       f"may use ({ok}). " + excess_en, TRANSPORT)
        parts.append((zh, en, claim, TRANSPORT))

    if flights:
        r.warn("乘坐飞机须事先经局主要领导批准(出差路途较远或任务紧急的方可按等级乘坐飞机):由经办人报分管科室的局(会)领导同意后再报局主要领导审签。",
               "Flying needs the prior approval of the Bureau's principal leader (allowed, at the entitled class, only "
               "for long distances or urgent tasks): the leader in charge of the section agrees first, then the "
               "principal leader signs.", APPROVAL)
    if inp["all_deputy_county_or_above"]:
        r.warn("出差人全部为副县级及以上干部的,由局主要领导审签《出差审批单》。",
               "When every traveller is a cadre at deputy county level or above, the Bureau's principal leader signs "
               "the travel approval form.", APPROVAL)

    # ---- lines (or nothing, when the claim is void)
    if voided:
        would = sum((amt for _, _, amt, _ in parts), ZERO)
        r.warn(
            f"实际发生住宿而无住宿发票的,不得报销住宿费和城市间交通费、伙食补助费和公杂费:本次差旅费全部不予报销"
            f"(否则可报 {fmt_money(would)} 元)。",
            f"Lodging was incurred without a lodging invoice: neither the lodging nor the intercity transport, meal "
            f"allowance or miscellaneous allowance may be reimbursed; the whole claim is void (it would otherwise "
            f"come to {fmt_money(would)} yuan).", REIMBURSEMENT)
    else:
        for zh, en, amt, clause in parts:
            if clause == TRANSPORT and unit_transport:
                continue
            r.line(zh, en, amt, clause)
        if unit_transport and inp["transport"]:
            skipped = sum((t["amount"] for t in inp["transport"]), ZERO)
            r.warn(f"单位提供了交通工具的,不予报销城市间交通费:已填写的 {fmt_money(skipped)} 元交通费不计入。",
                   f"The unit provided transport, so intercity transport is not reimbursed: the {fmt_money(skipped)} "
                   "yuan of transport entered is left out.", REIMBURSEMENT)

    # ---- approval, and the readings applied
    if flights or (lodging is not None and any(leg["region"] in CITY_REGIONS for leg in legs)):
        approval = {"approver": "principal_leader",
                    "zh": "经办人报分管科(室、处、中心)的局(会)领导同意后,再报局主要领导审签。",
                    "en": "the leader in charge of the section agrees, then the Bureau's principal leader signs."}
    elif inp["all_deputy_county_or_above"]:
        approval = {"approver": "principal_leader", "zh": "出差人全部为副县级及以上干部,由局主要领导审签。",
                    "en": "as every traveller is at deputy county level or above, the Bureau's principal leader signs."}
    else:
        approval = {"approver": "leader_in_charge", "zh": "由分管科(室、处、中心)的局(会)领导审签。",
                    "en": "the Bureau (Sub-council) leader in charge of the section signs."}
    approval["clause"] = r.cite(APPROVAL)
    approval["zh"] = "出差须先审批、后出差,填写《出差审批单》:" + approval["zh"]
    approval["en"] = "Travel is approved before it starts, on the travel approval form: " + approval["en"]

    same_day = fmt(value("travel.reimbursement.same_day_trip_days"))
    r.note(f"伙食补助费和公杂费按出差目的地的定额标准和出差天数计算;当天来回的按 {same_day} 天计算(填写 days: {same_day})。"
           "出差人员不得另行报销出差餐饮、交通、通讯等费用。",
           "The meal and miscellaneous allowances are the destination's daily rates times the days of travel; a "
           f"same-day return counts as {same_day} day (enter days: {same_day}). No other meal, local transport or "
           "communication costs of the trip may be claimed.", clause_of("travel.reimbursement.same_day_trip_days"))
    if any(leg["region"] == "in_province_ethnic" for leg in legs):
        r.note("公杂费表的省内一栏只列“其他市州”一个标准,甘孜、阿坝、凉山按该标准计算。",
               "The miscellaneous allowance table gives one rate for “other prefectures” within Sichuan; Garzê, Aba "
               "and Liangshan take that rate.", MISC)
    if voided:
        r.note("作废的判断依据是“实际发生住宿而无住宿发票”:只要填写了住宿(lodging)且 invoice 为 false,即视为实际发生住宿。",
               "The claim is void because lodging was incurred without an invoice: entering lodging with invoice false "
               "is read as lodging actually incurred.", REIMBURSEMENT)

    return r.build(inp, voided=voided, approval=approval)
