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
from .result import EXPENSE_FORM, Result, guarded
from .rules import classes, clause_of, quote, rules, standard, standard_row, value
from .rules import applies
from .rules import reading as rules_reading
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
# the editorial notes a result applies, by their ids in data/ (rules.reading)
COUNTY_STAY = applies(APPROVAL, "county-stay")  # on 在市内所辖县(区)出差需住宿的: where the night is spent
LODGING_DAYS = applies(REIMBURSEMENT, "lodging-days")  # lodging within the approved days
JIANYANG = applies(MEAL, "jianyang")  # 简阳 in the meal allowance table

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
    "insurance": ("交通意外保险", "travel accident insurance"),
}
CLASSED_MODES = ("air", "ship", "rail")  # the journeys that have classes, and that one insurance policy each may cover
INSURANCE = "insurance"
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


def lodging_fields(where: tuple[str, str]) -> tuple:
    """The fields of one lodging entry (the trip's, or a leg's); ``where``: the help of its place."""
    return (
        Int(name="nights", label=("住宿晚数", "Nights stayed"), lo=DAYS[0], hi=DAYS[1], unit=("晚", "nights"),
            help=("超过出差天数的晚数不予报销", "nights beyond the days of travel are not reimbursed")),
        Amount(name="amount", label=("住宿发票金额", "Lodging invoice total"),
               help=("按发票填写全部晚数的金额", "the invoiced amount for all the nights")),
        Bool(name="invoice", label=("有住宿发票", "Has a lodging invoice"),
             help=("没有发票的住宿会使整个差旅费不予报销", "lodging without an invoice makes the whole trip unclaimable")),
        Amount(name="cap_per_night", label=("住宿费限额(每晚)", "Lodging cap per night"), required=False,
               help=("按职务级别和住宿地,向局财务室索取《关于调整市直机关差旅住宿费标准有关问题的通知》(资财行〔2016〕50号)的标准",
                     "by rank and city: ask the finance office for the figure in 资财行〔2016〕50号, the notice on lodging caps")),
        Name(name="destination", label=("住宿城市", "City stayed in"), required=False, help=where),
    )


FIELDS = Form(
    Choice(name="rank", label=("出差人员级别", "Rank of the traveller"), choices=RANKS,
           help=("级别决定可乘坐的舱位、席别", "the rank decides the class of seat that is paid")),
    ListOf(name="legs", label=("行程", "Legs"), help=("每个目的地一段", "one per destination"), lo=1, hi=MAX_LEGS,
           item=("第{n}段行程", "Leg {n}"), add=("添加一段行程", "Add a leg"), new={"region": "in_province", "days": 1},
           fields=(
               Choice(name="region", label=("目的地", "Destination"), choices=REGION_LABELS, form="place",
                      help=("决定每天的伙食补助和公杂费标准", "sets the daily meal and miscellaneous allowance rates")),
               Int(name="days", label=("天数", "Days"), help=("当天来回按1天", "a same-day return is 1"),
                   lo=DAYS[0], hi=DAYS[1], unit=("天", "days")),
               Name(name="destination", label=("出差城市", "City visited"), required=False,
                    help=("如 北京;财务室填写了该城市的标准时,按该标准计算", "e.g. 北京; the finance office's figures for that city are used when it has filled them in")),
               Amount(name="meal_rate", label=("伙食补助标准(每天)", "Meal allowance per day"), required=False,
                      required_when=("省外必填", "required outside Sichuan"),
                      help=("省外标准在附表中,本手册未收录:请向局财务室索取出差城市的标准", "the rates outside Sichuan are in an annex the handbook lacks: ask the finance office for the city's rate")),
               Choice(name="provided", label=("本段交通工具", "Transport on this leg"), choices=PROVIDERS, required=False,
                      help=("不填:自行乘坐公共交通;本单位派车时公杂费减半", "leave empty if the traveller used public transport; a unit car halves the miscellaneous allowance")),
               Group(name="lodging", label=("本段住宿", "Lodging on this leg"), required=False, new={"invoice": True},
                     help=("在不同城市住宿时逐段填写,各段按本段限额和天数计算", "when the trip stays in more than one city, enter each leg's own lodging"),
                     fields=lodging_fields(("不填:本段出差城市", "if empty: the city of this leg"))),
           )),
    Bool(name="unit_transport", label=("本单位派车(全部行程)", "The Bureau's own car on every leg"), required=False,
         default=False, help=("本单位提供交通工具的,不报销城市间交通费,公杂费减半", "then no intercity fares are paid and the miscellaneous allowance is halved")),
    Bool(name="all_deputy_county_or_above", label=("出差人全部为副县级及以上干部", "All travellers are deputy county level or above"),
         required=False, default=False,
         help=("决定由谁审签出差审批单:全部为副县级及以上的,由局主要领导审签", "decides who signs the travel approval form: the Bureau's principal leader when all are")),
    Group(name="lodging", label=("住宿(一个城市)", "Lodging (one city)"), required=False, new={"invoice": True},
          help=("只在一个城市住宿时填写;在多个城市住宿的,在各段行程中填写", "for a stay in one city; for several cities enter each leg's lodging instead"),
          fields=lodging_fields(("不填:各段出差城市相同时取该城市", "if empty: the legs' city when they all share one"))),
    ListOf(name="transport", label=("城市间交通费", "Intercity transport"),
           help=("每张车船机票或每份交通意外保险一行", "one line per ticket, or per travel accident insurance policy"),
           required=False, default=[], lo=0, hi=MAX_TRANSPORT, item=("票据{n}", "Ticket {n}"),
           add=("添加一张票据", "Add a ticket"), new={"mode": "rail"}, fields=(
               Amount(name="amount", label=("票面金额", "Amount on the ticket"),
                      help=("按票面填写;交通意外保险填保费", "as printed on the ticket; for travel accident insurance, the premium")),
               Choice(name="mode", label=("交通工具", "Means of transport"), choices=MODES, required=False, default="other",
                      help=("交通意外保险:每乘坐一次飞机、火车、轮船可报一份", "travel accident insurance: one policy per journey by air, rail or ship")),
               Choice(name="class", label=("舱位/席别", "Class"), required=False, form="cls",
                      choices=lambda: {cls: label for by_mode in class_choices().values() for cls, label in by_mode.items()},
                      by=lambda: class_choices(), help=("高于级别可乘坐的等级时,超出部分个人自理", "above the rank's class, the difference is the traveller's own")),
               Amount(name="entitled_fare", label=("按规定等级的票价", "Fare in the class the rank allows"), required=False,
                      help=("乘坐了更高等级时填写,按此票价报销", "when a higher class was taken: it is paid at this fare")),
               Int(name="leg", label=("第几段行程", "Which leg"), required=False, lo=1, hi=MAX_LEGS,
                   help=("票据属于哪一段行程(按行程顺序编号)", "the number of the leg the ticket is for")),
           )),
    Day(name="date", label=("出差首日", "First day of the trip"), help=DAY_HELP, required=False),
)


def class_choices() -> dict[str, dict[str, tuple[str, str]]]:
    """Mode -> {class: label}, every class the engine knows, lowest first."""
    return {mode: {c: _class_label(mode, c) for c in known_classes(mode)} for mode in CLASSED_MODES}


label = FIELDS.label  # a field as the reader sees it (“行程 · 第2段行程 · 本段交通工具”), to name it in a message


READ_WORDS = {
    "both_lodgings": ("与“{leg}”不能同时填写:只在一个城市住宿时填写本项,在多个城市住宿时只在各段行程中填写本段住宿",
                      "cannot be given together with “{leg}”: enter this for a stay in one city, or, for several cities, "
                      "only each leg's own lodging"),
    "host_and_unit": ("与“{unit}”矛盾:全部行程由本单位派车时,不会向接待单位或其他单位交纳交通费用;请取消其中之一",
                      "contradicts “{unit}”: when the Bureau's own car is used on every leg, no fare is paid to a host or "
                      "other unit; clear one of them"),
    "insurance": ("交通意外保险 {policies} 份,多于{where}飞机、火车、轮船票据 {journeys} 张:每人次(每乘坐一次)可购买一份",
                  "{policies} travel accident insurance policies are more than the {journeys} air, rail or ship "
                  "ticket(s){where_en}: one policy per person per journey"),
    "insurance_class": ("交通意外保险没有舱位或票价等级,请清空此项", "travel accident insurance has no class: clear this field"),
}


def _read(data) -> dict:
    inp = FIELDS.read(data)
    total_days = sum(leg["days"] for leg in inp["legs"])
    if total_days > DAYS[1]:
        raise FIELDS.error("legs", f"各段天数合计 {total_days} 天,超过 {DAYS[1]} 天",
                           f"the legs add up to {total_days} days, more than {DAYS[1]}")
    for i, leg in enumerate(inp["legs"]):
        if "lodging" in inp and "lodging" in leg:
            raise FIELDS.error("lodging", *say(READ_WORDS["both_lodgings"], leg=label(f"legs[{i}].lodging")))
        if inp["unit_transport"] and leg.get("provided") == "host":
            raise FIELDS.error(f"legs[{i}].provided", *say(READ_WORDS["host_and_unit"], unit=label("unit_transport")))
    _check_insurance(inp)
    for i, t in enumerate(inp["transport"]):
        if t.get("leg", 0) > len(inp["legs"]):
            raise FIELDS.error(f"transport[{i}].leg", f"行程只有 {len(inp['legs'])} 段", f"there are only {len(inp['legs'])} legs")
        if t["mode"] == INSURANCE and ("class" in t or "entitled_fare" in t):
            raise FIELDS.error(f"transport[{i}].{'class' if 'class' in t else 'entitled_fare'}", *READ_WORDS["insurance_class"])
        if "class" not in t:
            continue
        if t["mode"] not in CLASSED_MODES:
            raise FIELDS.error(
                f"transport[{i}].class",
                "等级只适用于飞机、轮船、火车;其他交通工具凭据报销,没有等级",
                "a class applies only to air, ship and rail; other transport is reimbursed on receipts and has no class")
        if t["class"] not in known_classes(t["mode"]):
            names = "、".join(f"{zh}({c})" for c, (zh, _) in class_choices()[t["mode"]].items())
            names_en = ", ".join(f"{c} ({en})" for c, (_, en) in class_choices()[t["mode"]].items())
            raise FIELDS.error(f"transport[{i}].class", f"{MODES[t['mode']][0]}的等级须为以下之一:{names}",
                               f"a class of {MODES[t['mode']][1]} must be one of {names_en}")
    return inp


def _check_insurance(inp: dict) -> None:
    """One travel accident insurance policy per person per journey by air, rail or ship: on the whole trip, and on each
    leg the policies name."""
    tickets = inp["transport"]
    policies = [i for i, t in enumerate(tickets) if t["mode"] == INSURANCE]
    if not policies:
        return
    scopes = [None] + sorted({tickets[i]["leg"] for i in policies if "leg" in tickets[i]})
    for leg in scopes:
        mine = [i for i in policies if leg is None or tickets[i].get("leg") == leg]
        journeys = sum(1 for t in tickets if t["mode"] in CLASSED_MODES and (leg is None or t.get("leg") == leg))
        if len(mine) > journeys:
            where = ("", "") if leg is None else (f"第 {leg} 段行程的", f" of leg {leg}")
            raise FIELDS.error(f"transport[{mine[-1]}].mode", *say(READ_WORDS["insurance"], policies=len(mine),
                               journeys=journeys, where=where[0], where_en=where[1]))


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
    "annex": ("省外的伙食补助标准见《资阳市市直机关差旅费管理办法》附表,本手册未收录该附表,财务室也尚未填入本手册;"
              "请向局财务室索取出差城市的伙食补助标准(元/人·天)并填写",
              "the meal allowance rate outside Sichuan is set in an annex to the Measures for the "
              "Management of Travel Expenses of Municipal Organs of Ziyang, which the handbook does not contain and the "
              "finance office has not yet entered; ask the finance office for the city's rate (yuan per person per day) "
              "and enter it"),
    "entered": ("第 {leg} 段行程(省外)的伙食补助标准 {rate} 元/天为使用者填写的附表标准,本手册未核对。",
                "Leg {leg} (outside Sichuan): the meal allowance rate of {rate} yuan/day is the annex rate you "
                "entered; the handbook has not checked it."),
    "standard": ("第 {leg} 段行程(省外,{place})的伙食补助标准 {rate} 元/天取自财务室填写的{document}。",
                 "Leg {leg} (outside Sichuan, {place}): the meal allowance rate of {rate} yuan/day is from {document}, "
                 "as the finance office filled it in."),
    "ignored": ("第 {leg} 段行程:“{field}”只用于省外行程,本段按标准表的 {rate} 元/天计算。",
                "Leg {leg}: “{field}” applies only outside Sichuan; this leg uses the table rate of {rate} yuan/day."),
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
            r.note(*say(MEAL_WORDS["ignored"], leg=i + 1, rate=fmt(rate), field=label(f"legs[{i}].meal_rate")), MEAL)
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
    "where": ("(第 {leg} 段行程)", " (leg {leg})"),
    "as_invoiced": ("住宿费{where}:{nights} 晚,按发票金额", "Lodging{where}: {nights} night(s), as invoiced"),
    "capped": ("住宿费{where}:{nights} 晚,限额 {cap} 元/晚(合计 {limit} 元),发票金额 {claimed} 元",
               "Lodging{where}: {nights} night(s), cap {cap} yuan/night ({limit} yuan in all), invoiced {claimed} yuan"),
    "no_cap": ("未填写“{field}”:住宿费限额按职务级别和住宿城市确定,见《关于调整市直机关差旅住宿费标准有关问题的通知》"
               "(资财行〔2016〕50号),本手册未收录,财务室也尚未填入本手册;请向局财务室索取您的级别在该城市的每晚限额并填写。"
               "本次按发票金额计算,未按限额核对。",
               "“{field}” is not given: the lodging caps by rank and city are set in the notice on adjusting the lodging "
               "rates of municipal organs (资财行〔2016〕50号), which the handbook does not contain and the finance office "
               "has not yet entered; ask the finance office for your rank's cap per night in that city and enter it. "
               "The amount is taken as invoiced, unchecked against a cap."),
    "entered": ("住宿费{where}限额 {cap} 元/晚为使用者填写的标准,本手册未核对。",
                "The lodging cap{where} of {cap} yuan a night is the figure you entered; the handbook has not checked it."),
    "over_cap": ("住宿费{where}超过限额 {excess} 元,超出部分不予报销,由个人自理。",
                 "The lodging{where} exceeds the cap by {excess} yuan; the excess is not reimbursed and is the "
                 "traveller's own."),
    "own_cap": ("住宿费{where}超过限额的部分", "Lodging{where} above the cap"),
    "own_days": ("住宿费{where}超过出差天数的 {dropped} 晚", "Lodging{where}: {dropped} night(s) beyond the days of travel"),
    "cap_standard": ("住宿费{where}限额 {cap} 元/晚({place},{rank})取自财务室填写的{document}。",
                     "The lodging cap{where} of {cap} yuan a night ({place}, {rank}) is from {document}, as the finance "
                     "office filled it in."),
    "within_days": ("住宿费{where}:{nights} 晚中按出差天数计 {paid} 晚,发票金额 {claimed} 元按晚分摊为 {share} 元",
                    "Lodging{where}: {paid} of {nights} night(s) within the days of travel, the invoice of {claimed} yuan "
                    "taken pro rata: {share} yuan"),
    "within_days_capped": ("住宿费{where}:{nights} 晚中按出差天数计 {paid} 晚,发票金额 {claimed} 元按晚分摊为 {share} 元,"
                           "限额 {cap} 元/晚(合计 {limit} 元)",
                           "Lodging{where}: {paid} of {nights} night(s) within the days of travel, the invoice of {claimed} "
                           "yuan taken pro rata: {share} yuan, cap {cap} yuan/night ({limit} yuan in all)"),
    "over_days": ("住宿{where} {nights} 晚多于出差天数 {days} 天:住宿费只在批准的出差天数内报销,{dropped} 晚不予报销"
                  "(发票金额按晚平均分摊,不予报销 {excess} 元)。",
                  "{nights} night(s) of lodging{where} exceed the {days} day(s) of travel: lodging is reimbursed only "
                  "within the approved days of travel, so {dropped} night(s) are not reimbursed (the invoice is shared "
                  "out per night; {excess} yuan is not reimbursed)."),
    "city": ("在资阳市所辖县(区)出差原则上不住宿;确需住宿的,须经局主要领导同意({q})。",
             "Travel within the counties (districts) under Ziyang as a rule involves no overnight stay; lodging there "
             "needs the consent of the Bureau's principal leader ({q})."),
}


@dataclass(frozen=True)
class Stay:
    """One lodging entry: the trip's (``leg`` None: the legs it may cover are all of them) or a leg's."""

    path: str  # "lodging" or "legs[1].lodging"
    lodging: dict
    legs: list[dict]  # the legs whose days limit its nights
    leg: int | None  # the leg's index, for a leg's own lodging

    @property
    def where(self) -> tuple[str, str]:
        return ("", "") if self.leg is None else say(LODGING_WORDS["where"], leg=self.leg + 1)

    @property
    def place(self) -> str | None:
        """The city of the nights: as entered, else the leg's city, else the legs' one city when they share it."""
        if "destination" in self.lodging:
            return self.lodging["destination"]
        places = {leg.get("destination") for leg in self.legs}
        return places.pop() if len(places) == 1 else None


def stays(inp: dict) -> list[Stay]:
    """The lodging entries of the trip: the trip-level one, or each leg's own."""
    if "lodging" in inp:
        return [Stay("lodging", inp["lodging"], inp["legs"], None)]
    return [Stay(f"legs[{i}].lodging", leg["lodging"], [leg], i) for i, leg in enumerate(inp["legs"]) if "lodging" in leg]


def city_places() -> set[str]:
    """The places (by name) inside the city's own counties (districts), as the regions table lists them."""
    regions = rules().get("regions") or {}
    return {p["zh"] for code in CITY_REGIONS for p in (regions.get(code) or {}).get("places", [])}


def in_city(stay: Stay, all_legs: list[dict]) -> tuple[bool, bool]:
    """(whether the nights were spent in the city's own counties (districts), whether that is only a guess):
    the leg's region for a leg's lodging; for the trip's, the legs in the city it names (or the city's places),
    else every leg (a guess when only some legs are in the city's counties)."""
    if stay.leg is not None:
        return stay.legs[0]["region"] in CITY_REGIONS, False
    place = stay.lodging.get("destination")
    if place is not None:
        there = [leg for leg in all_legs if leg.get("destination") == place]
        if there:
            return any(leg["region"] in CITY_REGIONS for leg in there), False
        return place in city_places(), False
    city = [leg["region"] in CITY_REGIONS for leg in all_legs]
    if len({leg.get("destination") for leg in all_legs}) == 1 and all_legs[0].get("destination") is not None:
        return any(city), False
    return any(city), any(city) and not all(city)


def standard_document(table_id: str, **keys: str) -> tuple[str, str]:
    """The document the row in force for ``keys`` comes from (else the table's), (zh, en)."""
    row = standard_row(table_id, **keys)
    doc = (row or {}).get("document") or rules()["standards"][table_id]["document"]
    return doc["zh"], doc["en"]


def lodging_cap(r: Result, stay: Stay, rank: str) -> Decimal | None:
    """The cap per night: as entered (flagged as unchecked), else from the lodging caps table for the city of the
    nights, when the finance office has filled it in; else None."""
    if "cap_per_night" in stay.lodging:
        cap = stay.lodging["cap_per_night"]
        r.note(*say(LODGING_WORDS["entered"], where=stay.where, cap=fmt(cap)), LODGING)
        return cap
    place = stay.place
    cap = standard("lodging_cap", rank=rank, destination=place) if place else None
    if cap is not None:
        r.note(*say(LODGING_WORDS["cap_standard"], where=stay.where, cap=fmt(cap), place=place, rank=RANKS[rank],
                    document=standard_document("lodging_cap", rank=rank, destination=place)), LODGING)
    return cap


def lodging_part(r: Result, stay: Stay, voided: bool, cap: Decimal | None = None) -> Part:
    """Lodging: within the approved days (the leg's, for a leg's own lodging), pro rata, capped per night when the
    cap is known; what is cut is the traveller's own."""
    lodging, where = stay.lodging, stay.where
    nights, claimed = lodging["nights"], lodging["amount"]
    total_days = sum(leg["days"] for leg in stay.legs)
    paid = min(nights, total_days)  # nights beyond the approved days are not reimbursed
    share = claimed * paid / nights
    n = {"nights": nights, "paid": paid, "claimed": fmt_money(claimed), "share": fmt_money(share), "where": where}
    if cap is None:
        words = LODGING_WORDS["within_days"] if paid < nights else LODGING_WORDS["as_invoiced"]
        part = Part(*say(words, **n), share, LODGING)
        if not voided:
            r.warn(*say(LODGING_WORDS["no_cap"], field=label(f"{stay.path}.cap_per_night")), LODGING)
    else:
        limit = cap * paid
        n.update(cap=fmt(cap), limit=fmt_money(limit))
        words = LODGING_WORDS["within_days_capped"] if paid < nights else LODGING_WORDS["capped"]
        part = Part(*say(words, **n), min(share, limit), LODGING)
        if share > limit and not voided:
            r.warn(*say(LODGING_WORDS["over_cap"], where=where, excess=fmt_money(share - limit)), REIMBURSEMENT)
            r.pays_own(*say(LODGING_WORDS["own_cap"], where=where), share - limit, REIMBURSEMENT)
    if paid < nights:
        r.warn(*say(LODGING_WORDS["over_days"], where=where, nights=nights, days=total_days, dropped=nights - paid,
                    excess=fmt_money(claimed - share)), REIMBURSEMENT)
        r.note(*rules_reading(*LODGING_DAYS), REIMBURSEMENT)  # the editorial note (data/)
        if not voided:
            r.pays_own(*say(LODGING_WORDS["own_days"], where=where, dropped=nights - paid), claimed - share, REIMBURSEMENT)
    return part


def city_lodging(r: Result | None, inp: dict) -> bool:
    """Whether any nights were spent in the city's own counties (districts): then the principal leader consents."""
    found = False
    for stay in stays(inp):
        city, _ = in_city(stay, inp["legs"])
        if city:
            found = True
            if r is not None:
                r.warn(*say(LODGING_WORDS["city"], q=quote(APPROVAL, "principal-leader")), LODGING)
                r.note(*rules_reading(*COUNTY_STAY), APPROVAL)  # how the rule is read: a note in data/
    return found


TRANSPORT_WORDS = {
    "line": ("城市间交通费 {i}{leg}:{mode}", "Intercity transport {i}{leg}: {mode}"),
    "leg": ("(第 {leg} 段行程)", " (leg {leg})"),
    "insurance": ("交通意外保险 {i}{leg}(每人次一份)", "Travel accident insurance {i}{leg} (one per person per journey)"),
    "class": ("({cls})", " ({cls})"),
    "at_fare": (",按规定等级票价 {fare} 元", ", at the entitled fare of {fare} yuan"),
    "undeducted": ("(高于可乘坐等级,未填写规定等级票价,暂不计入)", " (above the class allowed, no entitled fare: left out)"),
    "above": ("第 {i} 项交通费的等级({cls})高于{rank}可乘坐的等级({ok})。", "Transport item {i} is in a class ({cls}) above "
              "what {rank} may use ({ok}). "),
    "excess_at_fare": ("按规定等级票价 {fare} 元报销,超支 {excess} 元由个人自理。",
                       "It is reimbursed at the entitled fare of {fare} yuan; the excess of {excess} yuan is the "
                       "traveller's own."),
    "excess_unknown": ("超支部分由个人自理;未填写“{field}”,无法算出可报销的金额:本张票据暂不计入合计,"
                       "请填写规定等级的票价(可向售票方或局财务室查询),按该票价报销。",
                       "The excess is the traveller's own; without “{field}” the reimbursable part cannot be worked out, "
                       "so this ticket is left out of the total: enter the fare of the class the rank allows (the ticket "
                       "seller or the finance office can tell you) to have it paid at that fare."),
    "own_excess": ("城市间交通费 {i}{leg}:超过规定等级票价的部分", "Intercity transport {i}{leg}: above the entitled fare"),
    "own_unknown": ("城市间交通费 {i}{leg}:高于可乘坐等级,未填写规定等级票价,暂不计入",
                    "Intercity transport {i}{leg}: above the class allowed, no entitled fare given, left out"),
}


def transport_part(r: Result, i: int, t: dict, rank: str, quiet: bool) -> Part:
    """One ticket (or insurance policy): as paid, or at the entitled fare when the class is above the rank's; above
    it with no entitled fare, nothing until the fare is given (``quiet``: no warning, nothing shown apart)."""
    mode, amount, cls = t["mode"], t["amount"], t.get("class")
    leg = say(TRANSPORT_WORDS["leg"], leg=t["leg"]) if "leg" in t else ("", "")
    if mode == INSURANCE:
        return Part(*say(TRANSPORT_WORDS["insurance"], i=i + 1, leg=leg), amount, TRANSPORT, ticket=i)
    zh, en = say(TRANSPORT_WORDS["line"], i=i + 1, leg=leg, mode=MODES[mode])
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
            own = say(TRANSPORT_WORDS["own_excess"], i=i + 1, leg=leg)
        else:
            claim = ZERO
            tail = TRANSPORT_WORDS["undeducted"]
            excess = say(TRANSPORT_WORDS["excess_unknown"], field=label(f"transport[{i}].entitled_fare"))
            own = say(TRANSPORT_WORDS["own_unknown"], i=i + 1, leg=leg)
        zh, en = zh + tail[0], en + tail[1]
        if not quiet:
            r.pays_own(*own, amount - claim, TRANSPORT)
            ok = join([_class_label(mode, c) for c in classes(f"travel.class.{rank}.{mode}")])
            above = say(TRANSPORT_WORDS["above"], i=i + 1, cls=_class_label(mode, cls), rank=RANKS[rank], ok=ok)
            r.warn(above[0] + excess[0], above[1] + excess[1], TRANSPORT)
    return Part(zh, en, claim, TRANSPORT, ticket=i)


APPROVAL_WORDS = {
    # {q}: the regulation's own sentences (finance.travel.approval's ``quotes``, rules.quote), worded as on the day
    "flight": ("乘坐飞机须事先经局主要领导批准(出差路途较远或任务紧急的方可按等级乘坐飞机):{q}。",
               "Flying needs the prior approval of the Bureau's principal leader (allowed, at the entitled class, only "
               "for long distances or urgent tasks): {q}."),
    "senior": ("{q}(《出差审批单》)。", "{Q} (the travel approval form)."),
    "principal_leader": ("{q}。", "{q}."),
    "senior_signs": ("{q}。", "{q}."),
    "leader_in_charge": ("{q}。", "{q}."),
    "form": ("出差须先审批、后出差,填写《出差审批单》:", "Travel is approved before it starts, on the travel approval form: "),
}


def approval(r: Result, inp: dict, flights: bool, city_lodging: bool) -> dict:
    """Who signs the travel approval form, with the warnings for flights and senior travellers."""
    q = {key: quote(APPROVAL, key) for key in ("principal-leader", "senior", "others")}
    if flights:
        r.warn(*say(APPROVAL_WORDS["flight"], q=q["principal-leader"]), APPROVAL)
    senior = inp["all_deputy_county_or_above"]
    if senior:
        r.warn(*say(APPROVAL_WORDS["senior"], q=q["senior"], Q=q["senior"][1][:1].upper() + q["senior"][1][1:]), APPROVAL)
    if flights or city_lodging:
        who, words = "principal_leader", say(APPROVAL_WORDS["principal_leader"], q=q["principal-leader"])
    elif senior:
        who, words = "principal_leader", say(APPROVAL_WORDS["senior_signs"], q=q["senior"])
    else:
        who, words = "leader_in_charge", say(APPROVAL_WORDS["leader_in_charge"], q=q["others"])
    form = APPROVAL_WORDS["form"]
    return {"approver": who, "zh": form[0] + words[0], "en": form[1] + words[1], "clause": r.cite(APPROVAL)}


VOID_WORDS = {
    # {rule}: the regulation's own sentence, from data/ (rules.quote), worded as on the day
    "void": ("{rule}:本次差旅费全部不予报销(否则可报 {would} 元)。",
             "{rule}: the whole claim is void (it would otherwise come to {would} yuan)."),
    "reading": ("作废的判断依据是“实际发生住宿而无住宿发票”:只要填写了住宿且“{invoice}”选择“否”,即视为实际发生住宿。",
                "The claim is void because lodging was incurred without an invoice: lodging entered with “{invoice}” "
                "answered no is read as lodging actually incurred."),
    "unit_transport": ("{rule}:已填写的 {skipped} 元交通费不计入。",
                       "{rule}: the {skipped} yuan of transport entered is left out."),
    "unit_legs": ("{rule}:第 {legs} 段行程由本单位提供交通工具,其票据({skipped} 元)不计入。",
                  "{rule}: on leg(s) {legs} the traveller's own unit provided transport, and their tickets "
                  "({skipped} yuan) are left out."),
    "unassigned": ("部分行程由本单位提供交通工具:票据 {tickets} 未填写“{leg}”,本次按已填写计入;"
                   "属于本单位提供交通工具的行程的票据不予报销,请为每张票据填写“{leg}”。",
                   "The traveller's own unit provided transport on some legs: ticket(s) {tickets} do not say “{leg}” and "
                   "are counted as entered; a ticket for a leg on which the unit provided transport is not reimbursed, "
                   "so fill in “{leg}” for each ticket."),
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
        r.warn(*say(VOID_WORDS["void"], would=fmt_money(would), rule=quote(REIMBURSEMENT, "no-invoice")), REIMBURSEMENT)
        return
    tickets = inp["transport"]
    dropped = [i for i, t in enumerate(tickets) if dropped_ticket(inp, t)]
    for p in parts:
        if p.ticket is None or p.ticket not in dropped:
            r.line(p.zh, p.en, p.amount, p.clause)
    if dropped:
        skipped = fmt_money(sum((tickets[i]["amount"] for i in dropped), ZERO))
        if dropped_ticket(inp, {}):  # the unit provided transport on every leg
            r.warn(*say(VOID_WORDS["unit_transport"], skipped=skipped, rule=quote(REIMBURSEMENT, "unit-transport")), REIMBURSEMENT)
        else:
            legs = sorted({tickets[i]["leg"] for i in dropped})
            r.warn(*say(VOID_WORDS["unit_legs"], skipped=skipped, rule=quote(REIMBURSEMENT, "unit-transport"), legs=("、".join(map(str, legs)), ", ".join(map(str, legs)))),
                   REIMBURSEMENT)
    if any(unit_legs(inp)) and not dropped_ticket(inp, {}):
        unassigned = [str(i + 1) for i, t in enumerate(tickets) if "leg" not in t]
        if unassigned:
            r.warn(*say(VOID_WORDS["unassigned"], tickets=("、".join(unassigned), ", ".join(unassigned)),
                        leg=FIELDS.field("transport[].leg").label), REIMBURSEMENT)


NOTE_WORDS = {
    # the regulation's own sentences ({same_day}, {no_other}) come from data/ (rules.quote), worded as on the day
    "allowances": ("伙食补助费和公杂费按出差目的地的定额标准和出差天数计算;{same_day}(天数填 {days})。{no_other}。",
                   "The meal and miscellaneous allowances are the destination's daily rates times the days of travel; "
                   "{same_day} (enter {days} as its days). {no_other}."),
    "ethnic": ("公杂费表的省内一栏只列“其他市州”一个标准,甘孜、阿坝、凉山按该标准计算。",
               "The miscellaneous allowance table gives one rate for “other prefectures” within Sichuan; Garzê, Aba "
               "and Liangshan take that rate."),
}


def notes(r: Result, inp: dict, voided: bool) -> None:
    """The readings applied."""
    same_day_id = "travel.reimbursement.same_day_trip_days"
    r.note(*say(NOTE_WORDS["allowances"], same_day=quote(REIMBURSEMENT, "same-day"), days=fmt(value(same_day_id)),
                no_other=quote(REIMBURSEMENT, "no-other-costs")), clause_of(same_day_id))
    if any(leg["region"] == "in_province_ethnic" for leg in inp["legs"]):
        r.note(*NOTE_WORDS["ethnic"], MISC)
    if any(leg["region"] == "ziyang_county" for leg in inp["legs"]):
        r.note(*rules_reading(*JIANYANG), MEAL)  # the editorial note on 简阳 (data/)
    for i, leg in enumerate(inp["legs"]):
        if leg.get("provided") == "host":
            r.note(*say(MISC_WORDS["host"], leg=i + 1), TRANSPORT)
    if voided:
        r.note(*say(VOID_WORDS["reading"], invoice=FIELDS.field("lodging.invoice").label), REIMBURSEMENT)


def documents(inp: dict, paid_tickets: list[dict], voided: bool) -> dict[str, bool]:
    """Which of the documents the travel clauses list this claim needs."""
    lodged = any(s.lodging["invoice"] for s in stays(inp)) and not voided
    tickets = [t for t in paid_tickets if t["mode"] != INSURANCE]
    return {"tickets": bool(tickets), "lodging-invoices": lodged,
            "official-business-card": lodged or any(t["mode"] == "air" for t in tickets),
            "accident-insurance": any(t["mode"] == INSURANCE for t in paid_tickets),
            "training-fee-receipts": False, "taxi-receipts": False}


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    voided = any(not s.lodging["invoice"] for s in stays(inp))
    parts: list[Part] = []
    for i, (leg, unit) in enumerate(zip(inp["legs"], unit_legs(inp), strict=True)):
        parts.append(meal_part(r, i, leg))
        parts.append(misc_part(leg, unit))
    for stay in stays(inp):
        parts.append(lodging_part(r, stay, voided, lodging_cap(r, stay, inp["rank"])))
    parts += [transport_part(r, i, t, inp["rank"], voided or dropped_ticket(inp, t)) for i, t in enumerate(inp["transport"])]
    flights = any(t["mode"] == "air" for t in inp["transport"])
    decision = approval(r, inp, flights, city_lodging(r, inp))
    claim_lines(r, parts, inp, voided)
    notes(r, inp, voided)
    r.cite(EXPENSE_FORM)
    paid = [t for t in inp["transport"] if not dropped_ticket(inp, t)] if not voided else []
    return r.build(inp, voided=voided, decision={"approval": decision}, attach=documents(inp, paid, voided))
