"""差旅费 — travel expenses under the Bureau's 差旅管理办法 (finance.travel).

Input: the fields declared in ``FIELDS`` below (``python -m calculators travel --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

The standards the regulation cites but does not contain (data/standards.yaml: the lodging caps by rank and
destination, the out-of-province meal rates) are used when the finance office has filled them in for the
destination; otherwise the claimant enters the figure (``cap_per_night``, ``meal_rate``), as the text requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .fields import DAYS, DAY_HELP, Amount, Bool, Choice, Day, Form, Group, Int, ListOf, Name
from .money import ZERO, fmt, fmt_money, percent
from .result import Result, guarded
from .rules import classes, clause_of, rules, standard, standard_row, value
from .wording import join, say

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
# Who provided transport on a leg: the traveller's own unit (the allowance is cut and no fare is paid on that
# leg), or a host (or other) unit that the traveller paid for it (nothing is cut: the fee paid is a fare).
PROVIDERS = {
    "unit": ("本单位提供了交通工具", "the traveller's own unit provided transport"),
    "host": ("接待单位或其他单位提供交通工具(已向其交纳费用)", "a host or other unit provided transport, paid for"),
}
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
               Name(name="destination", label=("出差地", "Destination city"), required=False,
                    help=("如 北京;用于查找财务室填写的标准表", "e.g. 北京; looks up the standards the finance office filled in")),
               Amount(name="meal_rate", label=("伙食补助标准", "Meal allowance rate"), required=False,
                      required_when=("省外必填", "required outside Sichuan"),
                      help=("元/天,按附表标准", "yuan a day, at the annex rate")),
               Choice(name="provided", label=("本段交通工具", "Transport on this leg"), choices=PROVIDERS, required=False,
                      help=("不填:自行乘坐交通工具", "leave empty if the traveller used public transport")),
           )),
    Bool(name="unit_transport", label=("单位提供了交通工具", "The unit provided transport"), required=False, default=False,
         help=("全部行程", "on every leg")),
    Bool(name="all_deputy_county_or_above", label=("出差人全部为副县级及以上干部", "All travellers are deputy county level or above"),
         required=False, default=False),
    Group(name="lodging", label=("住宿", "Lodging"), required=False, new={"invoice": True}, fields=(
        Int(name="nights", label=("晚数", "Nights"), lo=DAYS[0], hi=DAYS[1], unit=("晚", "nights")),
        Amount(name="amount", label=("住宿费金额", "Lodging cost"), help=("发票金额", "as invoiced")),
        Bool(name="invoice", label=("有住宿发票", "Has a lodging invoice")),
        Amount(name="cap_per_night", label=("住宿费限额", "Lodging cap"), required=False,
               help=("元/晚,按职务级别,见资财行〔2016〕50号", "yuan a night, by rank, as set in 资财行〔2016〕50号")),
        Name(name="destination", label=("住宿地", "Where the lodging was"), required=False,
             help=("不填:各段出差地相同时取该地", "if empty: the legs' destination when they all share one")),
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
               Int(name="leg", label=("所属行程段", "Leg"), required=False, lo=1, hi=MAX_LEGS,
                   help=("第几段行程的票据", "the leg the ticket is for")),
           )),
    Day(name="date", label=("出差首日", "First day of the trip"), help=DAY_HELP, required=False),
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
        if t.get("leg", 0) > len(inp["legs"]):
            raise FIELDS.error(f"transport[{i}].leg", f"行程只有 {len(inp['legs'])} 段", f"there are only {len(inp['legs'])} legs")
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


# ---------------------------------------------------------------------------- the rules, one function each
# Each returns the parts it adds up to (Part: the wording, the amount, the clause) and/or records its warnings
# and notes on the Result; the wording sits in a table beside it.


@dataclass(frozen=True)
class Part:
    zh: str
    en: str
    amount: Decimal
    clause: str
    ticket: int | None = None  # the index of the ticket an intercity transport part is for


MEAL_WORDS = {
    "line": ("伙食补助费({region}):{rate} 元/天 × {n} 天", "Meal allowance ({region}): {rate} yuan/day × {n} day(s)"),
    "annex": ("省外的伙食补助标准见《资阳市市直机关差旅费管理办法》附表,本手册未收录该附表;"
              "请填写出差目的地的伙食补助标准(元/人·天)",
              "the meal allowance rate outside Sichuan is set in an annex to the Measures for the "
              "Management of Travel Expenses of Municipal Organs of Ziyang, which the handbook does not contain; "
              "enter the destination's rate (yuan per person per day)"),
    "entered": ("第 {leg} 段行程(省外)的伙食补助标准 {rate} 元/天为使用者填写的附表标准,本手册未核对。",
                "Leg {leg} (outside Sichuan): the meal allowance rate of {rate} yuan/day is the annex rate you "
                "entered; the handbook has not checked it."),
    "standard": ("第 {leg} 段行程(省外,{place})的伙食补助标准 {rate} 元/天取自财务室填写的{document}。",
                 "Leg {leg} (outside Sichuan, {place}): the meal allowance rate of {rate} yuan/day is from {document}, "
                 "as the finance office filled it in."),
    "ignored": ("第 {leg} 段行程:meal_rate 只用于省外行程,本段按标准表的 {rate} 元/天计算。",
                "Leg {leg}: meal_rate applies only outside Sichuan; this leg uses the table rate of {rate} yuan/day."),
}


def meal_part(r: Result, i: int, leg: dict) -> Part:
    """The meal allowance of one leg: the table's daily rate, or (outside Sichuan) the annex rate entered."""
    zh, en, meal_id, _ = REGIONS[leg["region"]]
    n = leg["days"]
    if meal_id is None:
        table = standard("meal_out_of_province", destination=leg["destination"]) if "destination" in leg else None
        if "meal_rate" in leg:
            rate = leg["meal_rate"]
            r.note(*say(MEAL_WORDS["entered"], leg=i + 1, rate=fmt(rate)), MEAL)
        elif table is not None:
            rate = table
            r.note(*say(MEAL_WORDS["standard"], leg=i + 1, place=leg["destination"], rate=fmt(rate),
                        document=standard_document("meal_out_of_province", destination=leg["destination"])), MEAL)
        else:
            raise FIELDS.error(f"legs[{i}].meal_rate", *MEAL_WORDS["annex"])
    else:
        rate = value(meal_id)
        if "meal_rate" in leg:
            r.note(*say(MEAL_WORDS["ignored"], leg=i + 1, rate=fmt(rate)), MEAL)
    return Part(*say(MEAL_WORDS["line"], region=(zh, en), rate=fmt(rate), n=n), rate * n,
                clause_of(meal_id) if meal_id else MEAL)


MISC_WORDS = {
    "line": ("公杂费({region}):{rate} 元/天 × {n} 天", "Miscellaneous allowance ({region}): {rate} yuan/day × {n} day(s)"),
    "unit": ("公杂费({region},单位提供交通工具,按 {pct}%):{rate} 元/天 × {pct}% × {n} 天",
             "Miscellaneous allowance ({region}, unit provided transport, at {pct}%): {rate} yuan/day × {pct}% × {n} day(s)"),
    "host": ("第 {leg} 段行程由接待单位或其他单位提供交通工具:公杂费不减半(减半只适用于出差人员所在单位提供交通工具);"
             "出差人员应向其交纳相关费用,所交费用凭据作为本段的城市间交通费填写。",
             "Leg {leg}: a host or other unit provided transport. The miscellaneous allowance is not halved (halving "
             "applies only when the traveller's own unit provides transport); the traveller pays that unit for it, "
             "and the fee, on its receipt, is entered as this leg's intercity transport."),
}


def unit_leg(inp: dict, i: int) -> bool:
    """Whether the traveller's own unit provided transport on leg ``i`` (every leg when ``unit_transport``)."""
    return inp["unit_transport"] or inp["legs"][i].get("provided") == "unit"


def unit_legs(inp: dict) -> list[bool]:
    """For each leg, whether the traveller's own unit provided transport on it."""
    return [unit_leg(inp, i) for i in range(len(inp["legs"]))]


def misc_part(leg: dict, unit_transport: bool) -> Part:
    """The miscellaneous allowance of one leg, cut to a percentage when the unit provided transport."""
    zh, en, _, misc_id = REGIONS[leg["region"]]
    rate, n = value(misc_id), leg["days"]
    if not unit_transport:
        return Part(*say(MISC_WORDS["line"], region=(zh, en), rate=fmt(rate), n=n), rate * n, clause_of(misc_id))
    pct_id = "travel.misc.unit_transport_percent"
    pct = value(pct_id)
    return Part(*say(MISC_WORDS["unit"], region=(zh, en), rate=fmt(rate), pct=fmt(pct), n=n),
                rate * percent(pct) * n, clause_of(pct_id))


LODGING_WORDS = {
    "as_invoiced": ("住宿费:{nights} 晚,按发票金额", "Lodging: {nights} night(s), as invoiced"),
    "capped": ("住宿费:{nights} 晚,限额 {cap} 元/晚(合计 {limit} 元),发票金额 {claimed} 元",
               "Lodging: {nights} night(s), cap {cap} yuan/night ({limit} yuan in all), invoiced {claimed} yuan"),
    "no_cap": ("未填写住宿费限额(lodging.cap_per_night):住宿费限额标准见《关于调整市直机关差旅住宿费标准有关问题的通知》"
               "(资财行〔2016〕50号),按职务级别确定,本手册未收录;本次按填写金额计算,请自行核对是否超过限额。",
               "No lodging cap given (lodging.cap_per_night): the caps by rank are set in the notice on adjusting the "
               "lodging rates of municipal organs (资财行〔2016〕50号), which the handbook does not contain; the amount "
               "is taken as entered, so check it against your cap."),
    "over_cap": ("住宿费超过限额 {excess} 元,超出部分不予报销。",
                 "The lodging exceeds the cap by {excess} yuan; the excess is not reimbursed."),
    "cap_standard": ("住宿费限额 {cap} 元/晚({place},{rank})取自财务室填写的{document}。",
                     "The lodging cap of {cap} yuan a night ({place}, {rank}) is from {document}, as the finance office "
                     "filled it in."),
    "within_days": ("住宿费:{nights} 晚中按出差天数计 {paid} 晚,发票金额 {claimed} 元按晚分摊为 {share} 元",
                    "Lodging: {paid} of {nights} night(s) within the days of travel, the invoice of {claimed} yuan taken "
                    "pro rata: {share} yuan"),
    "within_days_capped": ("住宿费:{nights} 晚中按出差天数计 {paid} 晚,发票金额 {claimed} 元按晚分摊为 {share} 元,"
                           "限额 {cap} 元/晚(合计 {limit} 元)",
                           "Lodging: {paid} of {nights} night(s) within the days of travel, the invoice of {claimed} yuan "
                           "taken pro rata: {share} yuan, cap {cap} yuan/night ({limit} yuan in all)"),
    "over_days": ("住宿 {nights} 晚多于出差天数 {days} 天:住宿费只在批准的出差天数内报销,{dropped} 晚不予报销"
                  "(发票金额按晚平均分摊,不予报销 {excess} 元)。",
                  "{nights} night(s) of lodging exceed the {days} day(s) of travel: lodging is reimbursed only within "
                  "the approved days of travel, so {dropped} night(s) are not reimbursed (the invoice is shared out "
                  "per night; {excess} yuan is not reimbursed)."),
    "reading": ("“住宿费在批准的出差天数……内凭发票据实报销”:本手册把出差天数(各段天数之和)读作可报销的最多晚数,"
                "超出的晚数不予报销;发票金额按晚平均分摊,再按限额标准控制。",
                "“Lodging is reimbursed on invoices within the approved days of travel”: the handbook reads the days of "
                "travel (the legs' days added up) as the most nights that are reimbursed; nights beyond them are not, "
                "the invoice is shared out evenly per night, and the cap applies to the nights that are paid."),
    "city": ("在资阳市所辖县(区)出差原则上不住宿;确需住宿的,须经局主要领导同意(由经办人报分管科室的局(会)领导同意后再报局主要领导审签)。",
             "Travel within the counties (districts) under Ziyang as a rule involves no overnight stay; lodging there "
             "needs the consent of the Bureau's principal leader (the leader in charge of the section agrees first, "
             "then the principal leader signs)."),
    "city_note": ("“市内所辖县(区)”包括雁江区:行程中有简阳、安岳、乐至或雁江区(不含城区)且有住宿时即提示须经局主要领导同意;"
                  "本计算器无法判断住宿发生在哪一段行程。",
                  "“The counties (districts) under the city” include Yanjiang District: the principal leader's consent "
                  "is flagged whenever a leg is in Jianyang, Anyue, Lezhi or rural Yanjiang and there is lodging, as the "
                  "calculator cannot tell on which leg the stay took place."),
}


def standard_document(table_id: str, **keys: str) -> tuple[str, str]:
    """The document the row in force for ``keys`` comes from (else the table's), (zh, en)."""
    row = standard_row(table_id, **keys)
    doc = (row or {}).get("document") or rules()["standards"][table_id]["document"]
    return doc["zh"], doc["en"]


def lodging_cap(r: Result, lodging: dict, legs: list[dict], rank: str) -> Decimal | None:
    """The cap per night: as entered, else from the lodging caps table for the lodging's destination (the legs' one
    destination when they share it), when the finance office has filled it in; else None."""
    if "cap_per_night" in lodging:
        return lodging["cap_per_night"]
    places = {leg.get("destination") for leg in legs}
    place = lodging.get("destination") or (places.pop() if len(places) == 1 else None)
    cap = standard("lodging_cap", rank=rank, destination=place) if place else None
    if cap is not None:
        r.note(*say(LODGING_WORDS["cap_standard"], cap=fmt(cap), place=place, rank=RANKS[rank],
                    document=standard_document("lodging_cap", rank=rank, destination=place)), LODGING)
    return cap


def lodging_part(r: Result, lodging: dict, legs: list[dict], voided: bool, cap: Decimal | None = None) -> Part:
    """Lodging: within the approved days, pro rata, capped per night when the cap is known; the city's counties
    need consent."""
    nights, claimed = lodging["nights"], lodging["amount"]
    total_days = sum(leg["days"] for leg in legs)
    paid = min(nights, total_days)  # nights beyond the approved days are not reimbursed
    share = claimed * paid / nights
    n = {"nights": nights, "paid": paid, "claimed": fmt_money(claimed), "share": fmt_money(share)}
    if cap is None:
        words = LODGING_WORDS["within_days"] if paid < nights else LODGING_WORDS["as_invoiced"]
        part = Part(*say(words, **n), share, LODGING)
        if not voided:
            r.warn(*LODGING_WORDS["no_cap"], LODGING)
    else:
        limit = cap * paid
        n.update(cap=fmt(cap), limit=fmt_money(limit))
        words = LODGING_WORDS["within_days_capped"] if paid < nights else LODGING_WORDS["capped"]
        part = Part(*say(words, **n), min(share, limit), LODGING)
        if share > limit and not voided:
            r.warn(*say(LODGING_WORDS["over_cap"], excess=fmt_money(share - limit)), REIMBURSEMENT)
    if paid < nights:
        r.warn(*say(LODGING_WORDS["over_days"], nights=nights, days=total_days, dropped=nights - paid,
                    excess=fmt_money(claimed - share)), REIMBURSEMENT)
        r.note(*LODGING_WORDS["reading"], REIMBURSEMENT)
    if any(leg["region"] in CITY_REGIONS for leg in legs):
        r.warn(*LODGING_WORDS["city"], LODGING)
        r.note(*LODGING_WORDS["city_note"], LODGING)
    return part


TRANSPORT_WORDS = {
    "line": ("城市间交通费 {i}:{mode}", "Intercity transport {i}: {mode}"),
    "class": ("({cls})", " ({cls})"),
    "at_fare": (",按规定等级票价 {fare} 元", ", at the entitled fare of {fare} yuan"),
    "undeducted": ("(未扣除超标准部分)", " (excess over the entitled class not deducted)"),
    "above": ("第 {i} 项交通费的等级({cls})高于{rank}可乘坐的等级({ok})。", "Transport item {i} is in a class ({cls}) above "
              "what {rank} may use ({ok}). "),
    "excess_at_fare": ("按规定等级票价 {fare} 元报销,超支 {excess} 元由个人自理。",
                       "It is reimbursed at the entitled fare of {fare} yuan; the excess of {excess} yuan is the "
                       "traveller's own."),
    "excess_undeducted": ("超支部分由个人自理;请在 transport[{index}].entitled_fare 填写规定等级的票价以扣除超支部分"
                          "(本次按票面金额计入,未扣除)。",
                          "The excess is the traveller's own; enter the entitled class's fare in "
                          "transport[{index}].entitled_fare to deduct it (the ticket amount is counted as entered, undeducted)."),
}


def transport_part(r: Result, i: int, t: dict, rank: str, quiet: bool) -> Part:
    """One ticket: as paid, or at the entitled fare when the class is above the rank's (``quiet``: no warning)."""
    mode, amount, cls = t["mode"], t["amount"], t.get("class")
    zh, en = say(TRANSPORT_WORDS["line"], i=i + 1, mode=MODES[mode])
    if cls is not None:
        c = say(TRANSPORT_WORDS["class"], cls=_class_label(mode, cls))
        zh, en = zh + c[0], en + c[1]
    claim = amount
    if cls is not None and cls not in entitled(rank, mode):
        fare = t.get("entitled_fare")
        if fare is not None:
            claim = min(amount, fare)
            tail = say(TRANSPORT_WORDS["at_fare"], fare=fmt_money(fare))
            excess = say(TRANSPORT_WORDS["excess_at_fare"], fare=fmt_money(fare), excess=fmt_money(amount - claim))
        else:
            tail = TRANSPORT_WORDS["undeducted"]
            excess = say(TRANSPORT_WORDS["excess_undeducted"], index=i)
        zh, en = zh + tail[0], en + tail[1]
        if not quiet:
            ok = join([_class_label(mode, c) for c in classes(f"travel.class.{rank}.{mode}")])
            above = say(TRANSPORT_WORDS["above"], i=i + 1, cls=_class_label(mode, cls), rank=RANKS[rank], ok=ok)
            r.warn(above[0] + excess[0], above[1] + excess[1], TRANSPORT)
    return Part(zh, en, claim, TRANSPORT, ticket=i)


APPROVAL_WORDS = {
    "flight": ("乘坐飞机须事先经局主要领导批准(出差路途较远或任务紧急的方可按等级乘坐飞机):由经办人报分管科室的局(会)领导同意后再报局主要领导审签。",
               "Flying needs the prior approval of the Bureau's principal leader (allowed, at the entitled class, only "
               "for long distances or urgent tasks): the leader in charge of the section agrees first, then the "
               "principal leader signs."),
    "senior": ("出差人全部为副县级及以上干部的,由局主要领导审签《出差审批单》。",
               "When every traveller is a cadre at deputy county level or above, the Bureau's principal leader signs "
               "the travel approval form."),
    "principal_leader": ("经办人报分管科(室、处、中心)的局(会)领导同意后,再报局主要领导审签。",
                         "the leader in charge of the section agrees, then the Bureau's principal leader signs."),
    "senior_signs": ("出差人全部为副县级及以上干部,由局主要领导审签。",
                     "as every traveller is at deputy county level or above, the Bureau's principal leader signs."),
    "leader_in_charge": ("由分管科(室、处、中心)的局(会)领导审签。",
                         "the Bureau (Sub-council) leader in charge of the section signs."),
    "form": ("出差须先审批、后出差,填写《出差审批单》:", "Travel is approved before it starts, on the travel approval form: "),
}


def approval(r: Result, inp: dict, flights: bool) -> dict:
    """Who signs the travel approval form, with the warnings for flights and senior travellers."""
    if flights:
        r.warn(*APPROVAL_WORDS["flight"], APPROVAL)
    senior = inp["all_deputy_county_or_above"]
    if senior:
        r.warn(*APPROVAL_WORDS["senior"], APPROVAL)
    city_lodging = "lodging" in inp and any(leg["region"] in CITY_REGIONS for leg in inp["legs"])
    if flights or city_lodging:
        who, words = "principal_leader", APPROVAL_WORDS["principal_leader"]
    elif senior:
        who, words = "principal_leader", APPROVAL_WORDS["senior_signs"]
    else:
        who, words = "leader_in_charge", APPROVAL_WORDS["leader_in_charge"]
    form = APPROVAL_WORDS["form"]
    return {"approver": who, "zh": form[0] + words[0], "en": form[1] + words[1], "clause": r.cite(APPROVAL)}


VOID_WORDS = {
    "void": ("实际发生住宿而无住宿发票的,不得报销住宿费和城市间交通费、伙食补助费和公杂费:本次差旅费全部不予报销"
             "(否则可报 {would} 元)。",
             "Lodging was incurred without a lodging invoice: neither the lodging nor the intercity transport, meal "
             "allowance or miscellaneous allowance may be reimbursed; the whole claim is void (it would otherwise come "
             "to {would} yuan)."),
    "reading": ("作废的判断依据是“实际发生住宿而无住宿发票”:只要填写了住宿(lodging)且 invoice 为 false,即视为实际发生住宿。",
                "The claim is void because lodging was incurred without an invoice: entering lodging with invoice "
                "false is read as lodging actually incurred."),
    "unit_transport": ("单位提供了交通工具的,不予报销城市间交通费:已填写的 {skipped} 元交通费不计入。",
                       "The unit provided transport, so intercity transport is not reimbursed: the {skipped} yuan of "
                       "transport entered is left out."),
    "unit_legs": ("单位提供了交通工具的,不予报销城市间交通费:第 {legs} 段行程由本单位提供交通工具,其票据({skipped} 元)不计入。",
                  "The unit provided transport, so intercity transport is not reimbursed: on leg(s) {legs} the "
                  "traveller's own unit provided transport, and their tickets ({skipped} yuan) are left out."),
    "unassigned": ("部分行程由本单位提供交通工具:票据 {tickets} 未注明所属行程段(leg),本次按已填写计入;"
                   "属于本单位提供交通工具的行程的票据不予报销,请注明所属行程段。",
                   "The traveller's own unit provided transport on some legs: ticket(s) {tickets} name no leg (leg) and "
                   "are counted as entered; a ticket for a leg on which the unit provided transport is not reimbursed, "
                   "so give each ticket its leg."),
}


def dropped_ticket(inp: dict, t: dict) -> bool:
    """A ticket for a leg on which the traveller's own unit provided transport (no leg: when it did on every leg)."""
    if "leg" in t:
        return unit_leg(inp, t["leg"] - 1)
    return all(unit_legs(inp))


def claim_lines(r: Result, parts: list[Part], inp: dict, voided: bool) -> None:
    """The parts as lines, or nothing when lodging without an invoice voids the claim."""
    if voided:
        would = sum((p.amount for p in parts), ZERO)
        r.warn(*say(VOID_WORDS["void"], would=fmt_money(would)), REIMBURSEMENT)
        return
    tickets = inp["transport"]
    dropped = [i for i, t in enumerate(tickets) if dropped_ticket(inp, t)]
    for p in parts:
        if p.ticket is None or p.ticket not in dropped:
            r.line(p.zh, p.en, p.amount, p.clause)
    if dropped:
        skipped = fmt_money(sum((tickets[i]["amount"] for i in dropped), ZERO))
        if dropped_ticket(inp, {}):  # the unit provided transport on every leg
            r.warn(*say(VOID_WORDS["unit_transport"], skipped=skipped), REIMBURSEMENT)
        else:
            legs = sorted({tickets[i]["leg"] for i in dropped})
            r.warn(*say(VOID_WORDS["unit_legs"], skipped=skipped, legs=("、".join(map(str, legs)), ", ".join(map(str, legs)))),
                   REIMBURSEMENT)
    if any(unit_legs(inp)) and not dropped_ticket(inp, {}):
        unassigned = [str(i + 1) for i, t in enumerate(tickets) if "leg" not in t]
        if unassigned:
            r.warn(*say(VOID_WORDS["unassigned"], tickets=("、".join(unassigned), ", ".join(unassigned))), REIMBURSEMENT)


NOTE_WORDS = {
    "allowances": ("伙食补助费和公杂费按出差目的地的定额标准和出差天数计算;当天来回的按 {same_day} 天计算(填写 days: {same_day})。"
                   "出差人员不得另行报销出差餐饮、交通、通讯等费用。",
                   "The meal and miscellaneous allowances are the destination's daily rates times the days of travel; a "
                   "same-day return counts as {same_day} day (enter days: {same_day}). No other meal, local transport or "
                   "communication costs of the trip may be claimed."),
    "ethnic": ("公杂费表的省内一栏只列“其他市州”一个标准,甘孜、阿坝、凉山按该标准计算。",
               "The miscellaneous allowance table gives one rate for “other prefectures” within Sichuan; Garzê, Aba "
               "and Liangshan take that rate."),
    "jianyang": ("原文(2020年)把简阳与安岳、乐至并列为市内所辖县(市),但简阳自2016年起已由成都市代管:"
                 "到简阳出差的,请向局财务确认适用的标准(本计算按原文的市内标准计算)。",
                 "The text (2020) lists Jianyang with Anyue and Lezhi as within the city, but Jianyang has been "
                 "administered by Chengdu since 2016: for a trip to Jianyang, confirm the rate with the finance office "
                 "(the calculation uses the text's within-the-city rate)."),
}


def notes(r: Result, inp: dict, voided: bool) -> None:
    """The readings applied."""
    same_day_id = "travel.reimbursement.same_day_trip_days"
    r.note(*say(NOTE_WORDS["allowances"], same_day=fmt(value(same_day_id))), clause_of(same_day_id))
    if any(leg["region"] == "in_province_ethnic" for leg in inp["legs"]):
        r.note(*NOTE_WORDS["ethnic"], MISC)
    if any(leg["region"] == "ziyang_county" for leg in inp["legs"]):
        r.note(*NOTE_WORDS["jianyang"], MEAL)
    for i, leg in enumerate(inp["legs"]):
        if leg.get("provided") == "host":
            r.note(*say(MISC_WORDS["host"], leg=i + 1), TRANSPORT)
    if voided:
        r.note(*VOID_WORDS["reading"], REIMBURSEMENT)


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    lodging = inp.get("lodging")
    voided = lodging is not None and not lodging["invoice"]
    parts: list[Part] = []
    for i, (leg, unit) in enumerate(zip(inp["legs"], unit_legs(inp), strict=True)):
        parts.append(meal_part(r, i, leg))
        parts.append(misc_part(leg, unit))
    if lodging is not None:
        parts.append(lodging_part(r, lodging, inp["legs"], voided, lodging_cap(r, lodging, inp["legs"], inp["rank"])))
    parts += [transport_part(r, i, t, inp["rank"], voided or dropped_ticket(inp, t)) for i, t in enumerate(inp["transport"])]
    flights = any(t["mode"] == "air" for t in inp["transport"])
    decision = approval(r, inp, flights)
    claim_lines(r, parts, inp, voided)
    notes(r, inp, voided)
    return r.build(inp, voided=voided, approval=decision, not_attached=("training-fee-receipts",))
