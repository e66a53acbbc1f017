"""接待 — reception meals under the Bureau's 接待管理办法 (finance.reception).

Input: the fields declared in ``FIELDS`` below (``python -m calculators reception --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

The limit is the standard per head times everyone at the table per meal: the guests and the hosts the
1:1 / 1:2 ratio allows (``max_hosts``, business receptions), plus the invited staff the text excuses.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import DAY_HELP, PEOPLE, Amount, Bool, Choice, Day, Form, Int
from .money import ONE, ZERO, amount_json, floor, fmt, fmt_money
from .result import EXPENSE_FORM, Result, guarded
from .rules import applies, clause_of, quote, reading, value
from .wording import say

NAME = "reception"
TITLE = {"zh": "接待费", "en": "Reception costs"}
SECTION = "finance.reception"
DEFAULT_INPUT = {"kind": "business", "guests": 8, "hosts": 6, "city_leader": False, "amount": 2480}

KINDS = {"official": ("公务接待", "official reception"), "business": ("商务接待", "business reception")}
MAX_MEALS_ENTERED = 10  # an input bound, not a rule

STANDARDS = "finance.reception.requirements.standards"
# the editorial notes of STANDARDS a result applies (data/: the notes' ids; rules.reading)
BUSINESS_ONLY = applies(STANDARDS, "business-receptions")  # the ratio is for business receptions
INVITED = applies(STANDARDS, "invited-beyond-ratio")  # invited persons count as hosts
MANAGEMENT = "finance.reception.requirements.management"
APPROVAL = "finance.reception.requirements.approval"
LETTER = "finance.reception.requirements.official-letter"
CHECKLIST = "finance.reception.requirements.checklist"
PROHIBITIONS = "finance.reception.requirements.prohibitions"
REIMBURSEMENT = "finance.reception.reimbursement"
CARD = "finance.management.expenditure.card-settlement"


def max_hosts(guests: int) -> int:
    """Hosts allowed for ``guests`` business visitors: 1:1 up to the threshold, 1:2 beyond it (rounded down)."""
    threshold = value("reception.hosts.threshold_guests")
    within, beyond = value("reception.hosts.ratio_within"), value("reception.hosts.ratio_beyond")
    g = Decimal(guests)
    return int(floor(min(g, threshold) * within + max(g - threshold, ZERO) * beyond))


def ratio_text(value_id: str) -> str:
    """A hosts-per-guest ratio as the text writes it, hosts:guests: 1 -> "1:1", 0.5 -> "1:2"."""
    return f"1:{fmt(ONE / value(value_id))}"


def per_head(kind: str, city_leader: bool) -> tuple[Decimal, str]:
    if kind == "official":
        vid = "reception.official.per_head"
    elif city_leader:
        vid = "reception.business.city_leader.per_head"
    else:
        vid = "reception.business.county.per_head"
    return value(vid), vid


FIELDS = Form(
    Choice(name="kind", label=("接待类型", "Kind of reception"), choices=KINDS,
           help=("公务接待与商务接待(接待客商)的标准、陪同人数和所需公函不同", "official and business (investor) receptions differ in limits, hosts allowed and the letter required")),
    Int(name="guests", label=("客人人数", "Guests"), lo=PEOPLE[0], hi=PEOPLE[1], unit=("人", "people"),
        help=("来访客人的人数;商务接待的陪同人数上限按它计算", "the visitors; at a business reception the hosts allowed are counted from it")),
    Int(name="hosts", label=("陪同人数", "Hosts"), lo=0, hi=PEOPLE[1], unit=("人", "people"),
        help=("本局及其他陪餐人员;商务接待按主客比例计入标准", "the Bureau's and other staff at the table; at a business reception the ratio limits how many count")),
    Int(name="invited", label=("超出比例的应邀人员", "Invited hosts beyond the ratio"), required=False, default=0, lo=0,
        hi=PEOPLE[1], unit=("人", "people"),
        help=("商务接待:因项目对接需要邀请的市级相关部门、高新区和临空经济区、县(区)人员,已在接待清单上说明",
              "business: municipal, zone or county staff the project needed, explained on the reception checklist")),
    Bool(name="city_leader", label=("市领导出席", "A city leader attends"), help=("商务接待", "business reception"),
         required=False, default=False),
    Amount(name="amount", label=("伙食费实际金额", "Meal cost actually paid"), required=False,
           help=("按发票;商务接待的伙食费含餐费、酒水、饮料,住宿等其他费用不在此填写",
                 "as invoiced; at a business reception the meal cost includes food, alcohol and drinks; leave out lodging and other costs")),
    Amount(name="alcohol_amount", label=("其中酒水金额", "Of which alcohol"), required=False,
           help=("已含在伙食费实际金额中;公务接待的酒水不予报销(规定不提供酒类)", "part of the meal cost; at an official reception it is not reimbursed (the rules allow no alcohol there)")),
    Int(name="meals", label=("本批次用餐(宴请)次数", "Meals (banquets) for this batch"), required=False, default=1,
        lo=1, hi=MAX_MEALS_ENTERED,
        help=("一批次客人一般的用餐(宴请)次数有规定,超过的会提示", "the text sets the usual meals (banquets) for a batch of guests; more are flagged")),
    Bool(name="alcohol", label=("是否提供酒水", "Alcohol served"), required=False, form="tri",
         help=("公务接待不提供;商务接待提供须事前审批", "official receptions serve none; at a business reception it needs prior approval")),
    Bool(name="letter", label=("是否有公函(来函)", "Official letter received"), required=False, form="tri",
         help=("公务接待凭派出单位公函;商务接待原则上要客商来函,没有的须附经办人签字的联系记录",
               "official: the sending unit's letter; business: the visitors' letter, or a contact record the handler signs")),
    Day(name="date", label=("接待日期", "Date of the reception"), help=DAY_HELP, required=False),
)


READ_WORDS = {
    "alcohol_without_amount": ("须同时填写“{amount}”(酒水金额是其中的一部分)", "needs “{amount}” too (the alcohol is part of it)"),
    "alcohol_over_amount": ("不能多于“{amount}”({total} 元):酒水金额是伙食费的一部分",
                            "cannot be more than “{amount}” ({total} yuan): the alcohol is part of the meal cost"),
    "alcohol_denied": ("与“{alcohol}”选择的“否”矛盾:有酒水金额即提供了酒水;请更正其中之一",
                       "contradicts “{alcohol}”, which says no: an alcohol amount means alcohol was served; correct one of them"),
    "alcohol_unapproved": ("商务接待提供酒类须事前经局主要负责同志审批(一事一审批):请在“{alcohol}”中选择“是”,并附《资阳市外事和招商活动接待用酒审批单》",
                           "alcohol at a business reception needs the principal leader's prior approval for the occasion: "
                           "choose yes in “{alcohol}”, and attach the approval form for alcohol"),
}


label = FIELDS.label  # a field as the reader sees it, to name it in a message about another one


def _read(data) -> dict:
    inp = FIELDS.read(data)
    if inp.get("alcohol_amount"):
        if "amount" not in inp:
            raise FIELDS.error("alcohol_amount", *say(READ_WORDS["alcohol_without_amount"], amount=label("amount")))
        if inp["alcohol_amount"] > inp["amount"]:
            raise FIELDS.error("alcohol_amount", *say(READ_WORDS["alcohol_over_amount"], amount=label("amount"),
                                                      total=fmt_money(inp["amount"])))
        if inp.get("alcohol") is False:
            raise FIELDS.error("alcohol_amount", *say(READ_WORDS["alcohol_denied"], alcohol=label("alcohol")))
        if inp["kind"] == "business" and inp.get("alcohol") is not True:
            raise FIELDS.error("alcohol_amount", *say(READ_WORDS["alcohol_unapproved"], alcohol=label("alcohol")))
    if inp["invited"] > inp["hosts"]:
        raise FIELDS.error("invited", f"不能多于陪同人数({inp['hosts']})", f"cannot be more than the hosts ({inp['hosts']})")
    if inp["invited"] and inp["kind"] == "official":
        raise FIELDS.error("invited", "只用于商务接待(公务接待的陪同人数原文未设比例)",
                           "applies only to business receptions (the text sets no ratio for official ones)")
    return inp


def counted_hosts(inp: dict) -> int:
    """The hosts the limit counts: all of them at an official reception; at a business one, those the ratio
    allows plus the invited staff the text excuses (explained on the reception checklist)."""
    if inp["kind"] == "official":
        return inp["hosts"]
    return min(inp["hosts"], max_hosts(inp["guests"]) + inp["invited"])


# ---------------------------------------------------------------------------- the rules, one function each

LIMIT_WORDS = {
    "limit": ("{rate} 元/人次 × {people} 人(客人 {guests} + 陪同 {hosts}{detail}){meals}",
              "{rate} yuan per person × {people} people ({guests} guests + {hosts} hosts{detail}){meals}"),
    "meals": (" × {n} 餐", " × {n} meals"),
    "beyond": (",陪同 {hosts} 人中超出比例的 {excess} 人不计", "; {excess} of the {hosts} hosts are beyond the ratio and not counted"),
    "invited": (",其中应邀人员 {invited} 人,已在接待清单上说明", ", {invited} of them invited staff, explained on the checklist"),
    "cap_line": ("伙食费标准上限:{limit}", "Meal cost limit: {limit}"),
    "claim_line": ("可报销:实际费用 {amount} 元,标准上限 {limit} = {total} 元",
                   "Reimbursable: actual cost {amount} yuan, limit {limit} = {total} yuan"),
    # {rule}: the regulation's own sentence, from data/ (rules.quote), worded as on the day
    "over": ("实际费用超过标准 {excess} 元。{rule}:超出部分不在标准之内,不予报销。",
             "The actual cost exceeds the standard by {excess} yuan; {rule}: the excess is outside the standard and "
             "not reimbursed."),
    "own_alcohol": ("公务接待的酒水 {alcohol} 元({rule})", "Alcohol at an official reception, {alcohol} yuan ({rule})"),
    "no_alcohol": ("{rule}:酒水 {alcohol} 元不予报销,已从伙食费中扣除。",
                   "{rule}: the {alcohol} yuan of alcohol is not reimbursed and has been taken out of the meal cost."),
    "own_over": ("超过标准上限的部分", "Above the limit"),
    "no_letter": ("公务接待须凭派出单位公函;{rule}:本次接待费不予报销。",
                  "An official reception needs the sending unit's official letter; {rule}: this reception cannot be "
                  "claimed."),
}


def per_head_limit(inp: dict) -> tuple[Decimal, Decimal, str, tuple[str, str]]:
    """(limit, rate per head, its value id, the limit's wording): the standard per head × everyone × meals."""
    rate, rate_id = per_head(inp["kind"], inp["city_leader"])
    guests, hosts, meals = inp["guests"], counted_hosts(inp), inp["meals"]
    people = guests + hosts
    times = say(LIMIT_WORDS["meals"], n=meals) if meals != 1 else ("", "")
    detail = [("", "")]
    if inp["invited"] and hosts > max_hosts(guests):
        detail.append(say(LIMIT_WORDS["invited"], invited=hosts - max_hosts(guests)))
    if hosts < inp["hosts"]:
        detail.append(say(LIMIT_WORDS["beyond"], hosts=inp["hosts"], excess=inp["hosts"] - hosts))
    words = say(LIMIT_WORDS["limit"], rate=fmt(rate), people=people, guests=guests, hosts=hosts, meals=times,
                detail=("".join(z for z, _ in detail), "".join(e for _, e in detail)))
    return rate * people * meals, rate, rate_id, words


def cost_line(r: Result, inp: dict, voided: bool) -> None:
    """The limit, or the smaller of the actual cost and the limit; nothing when the reception is void."""
    limit, _, rate_id, words = per_head_limit(inp)
    if voided:
        r.warn(*say(LIMIT_WORDS["no_letter"], rule=quote(LETTER, "no-letter")), LETTER)
    elif "amount" not in inp:
        r.line(*say(LIMIT_WORDS["cap_line"], limit=words), limit, clause_of(rate_id))
    else:
        amount = inp["amount"]
        alcohol = inp.get("alcohol_amount", ZERO) if inp["kind"] == "official" else ZERO
        if alcohol:
            amount -= alcohol
            no_alcohol = quote(MANAGEMENT, "no-alcohol-official")
            r.pays_own(*say(LIMIT_WORDS["own_alcohol"], alcohol=fmt_money(alcohol), rule=no_alcohol), alcohol, MANAGEMENT)
            r.warn(*say(LIMIT_WORDS["no_alcohol"], alcohol=fmt_money(alcohol), rule=no_alcohol), MANAGEMENT)
        r.line(*say(LIMIT_WORDS["claim_line"], amount=fmt_money(amount), limit=words, total=fmt_money(limit)),
               min(amount, limit), clause_of(rate_id))
        if amount > limit:
            r.warn(*say(LIMIT_WORDS["over"], excess=fmt_money(amount - limit), rule=quote(PROHIBITIONS, "above-standard")),
                   clause_of(rate_id))
            r.pays_own(*LIMIT_WORDS["own_over"], amount - limit, clause_of(rate_id))


HOSTS_WORDS = {
    "official_over": ("陪同 {hosts} 人多于客人 {guests} 人:{rule}。公务接待的陪餐人数原文未设比例,"
                      "但陪同多于客人通常会被视为超规格接待,请在接待方案和接待清单中说明理由。",
                      "{hosts} hosts are more than the {guests} guests: {rule}. The text sets no ratio for official "
                      "receptions, but more hosts than guests is likely to be seen as above the set level: give the reason "
                      "in the reception plan and checklist."),
    "business": ("陪同人数上限:客人 {threshold} 人(含)以内按 {within},超过部分按 {beyond}(主:客),不足一人的部分舍去"
                 "(比例是“以内”的上限)。{guests} 位客人最多 {allowed} 位陪同。",
                 "Hosts allowed (hosts:guests): {within} up to {threshold} guests, {beyond} for the guests beyond, "
                 "rounded down (the ratio is a ceiling). {guests} guest(s) allow at most {allowed} host(s)."),
    "over": ("陪同人数 {hosts} 人超过比例上限 {allowed} 人:超出的 {excess} 人不计入标准上限。确因项目对接需要邀请市级相关部门、"
             "高新区和临空经济区、县(区)人员参加而超过比例的,应在接待清单上作出说明,并在“{invited}”中填写人数。",
             "{hosts} hosts exceed the ratio's limit of {allowed}: the {excess} beyond it are not counted in the limit. If "
             "people from municipal departments, the High-tech Zone, the Airport Economic Zone or the counties "
             "(districts) were invited because the project requires it, explain it on the reception checklist and "
             "enter how many in “{invited}”."),
    "excused": ("陪同人数 {hosts} 人超过比例上限 {allowed} 人,其中 {invited} 人为因项目对接需要邀请的市级相关部门、高新区和"
                "临空经济区、县(区)人员:按原文可超过比例,须在接待清单上作出说明。",
                "{hosts} hosts exceed the ratio's limit of {allowed}; {invited} of them are staff of municipal "
                "departments, the High-tech Zone, the Airport Economic Zone or the counties (districts) invited because "
                "the project requires it, whom the text allows beyond the ratio: explain it on the reception checklist."),
}


def hosts_rule(r: Result, inp: dict) -> int | None:
    """The hosts the ratio allows (business receptions; ``None`` for official ones, where the text sets none)."""
    ratio = {"threshold": fmt(value("reception.hosts.threshold_guests")),
             "within": ratio_text("reception.hosts.ratio_within"), "beyond": ratio_text("reception.hosts.ratio_beyond")}
    if inp["kind"] == "official":
        r.note(*reading(*BUSINESS_ONLY), STANDARDS)  # the ratio is for business receptions (data/ note)
        if inp["hosts"] > inp["guests"]:
            r.warn(*say(HOSTS_WORDS["official_over"], hosts=inp["hosts"], guests=inp["guests"],
                        rule=quote(PROHIBITIONS, "above-standard")), PROHIBITIONS)
        return None
    allowed = max_hosts(inp["guests"])
    r.note(*say(HOSTS_WORDS["business"], guests=inp["guests"], allowed=allowed, **ratio), STANDARDS)
    hosts, counted = inp["hosts"], counted_hosts(inp)
    if hosts > allowed:
        if counted > allowed:
            r.warn(*say(HOSTS_WORDS["excused"], hosts=hosts, allowed=allowed, invited=counted - allowed), STANDARDS)
        if hosts > counted:
            r.warn(*say(HOSTS_WORDS["over"], hosts=hosts, allowed=allowed, excess=hosts - counted, invited=label("invited")),
                   STANDARDS)
        r.note(*reading(*INVITED), STANDARDS)  # the editorial note (data/)
    return allowed


MEALS_WORDS = {
    # {rule}: the regulation's own sentences, from data/ (rules.quote: finance.reception.requirements.management)
    "official": ("{rule},本次为 {meals} 餐。", "{Rule}; this one has {meals}."),
    "business": ("{rule},本次为 {meals} 次。", "{Rule}; this one has {meals}."),
    "official_alcohol": ("{rule}。", "{rule}."),
    "business_alcohol": ("{rule}。", "{rule} (《资阳市外事和招商活动接待用酒审批单》)."),
    "standard": ("商务接待伙食费标准含餐费、酒水、饮料:有市领导出席的每人每次不超过 {city} 元,县级及以下人员出席的不超过 "
                 "{county} 元(按“{field}”选择)。",
                 "The business reception standard covers food, alcohol and drinks: at most {city} yuan per person per "
                 "occasion when a city leader attends, {county} yuan when those attending are at county level or below "
                 "(as chosen in “{field}”)."),
}


QUOTE_OF_ALCOHOL = {"official": "no-alcohol-official", "business": "business-alcohol"}  # quotes of MANAGEMENT


def meals_and_alcohol(r: Result, inp: dict) -> None:
    """Meals (banquets) per batch of guests, and alcohol: never at official receptions, approved at business ones."""
    kind = inp["kind"]
    per_batch_id = "reception.official.meals_per_batch" if kind == "official" else "reception.business.banquets_per_batch"
    per_batch = value(per_batch_id)
    if inp["meals"] > per_batch:
        rule = quote(MANAGEMENT, "official-meals" if kind == "official" else "business-banquets")
        r.warn(*say(MEALS_WORDS[kind], rule=rule, Rule=rule[1][:1].upper() + rule[1][1:], meals=inp["meals"]),
               clause_of(per_batch_id))
    served = inp.get("alcohol") or inp.get("alcohol_amount")
    if served and not (kind == "official" and inp.get("alcohol_amount")):  # (an official one's alcohol is cut, said there)
        r.warn(*say(MEALS_WORDS[f"{kind}_alcohol"], rule=quote(MANAGEMENT, QUOTE_OF_ALCOHOL[kind])), MANAGEMENT)
    elif kind == "official" and not served:
        r.note(*say(MEALS_WORDS["official_alcohol"], rule=quote(MANAGEMENT, QUOTE_OF_ALCOHOL[kind])), MANAGEMENT)
    if kind == "business":
        r.note(*say(MEALS_WORDS["standard"], city=fmt(value("reception.business.city_leader.per_head")),
                    county=fmt(value("reception.business.county.per_head")), field=label("city_leader")), STANDARDS)


PAPER_WORDS = {
    # {rule}: the regulation's own sentences, from data/ (the clauses' ``quotes``, rules.quote), worded as on the day
    "approval": ("先审批、后接待:{rule}。", "Approve first, receive afterwards: {rule}."),
    "letter_needed": ("公务接待须凭派出单位公函;{rule}。",
                      "An official reception needs the sending unit's official letter; {rule}."),
    "letter_in_hand": ("已有派出单位公函:报销时附公函。", "The sending unit's letter is in hand: attach it to the claim."),
    "visitors_letter": ("{rule}。", "{rule}."),
    "checklist": ("{rule}。", "{rule}."),
    "prohibitions": ("{luxury};{clubs}。", "Under the regulation, {luxury}; {clubs}."),  # quoted from data/
}


def paperwork(r: Result, inp: dict, voided: bool) -> None:
    """Approval before the reception, the letter, the checklist, what the claim needs, what is prohibited."""
    official = inp["kind"] == "official"
    r.warn(*say(PAPER_WORDS["approval"], rule=quote(APPROVAL, "plan")), APPROVAL)
    if official and not voided:
        r.warn(*say(PAPER_WORDS["letter_in_hand" if "letter" in inp else "letter_needed"], rule=quote(LETTER, "no-letter")), LETTER)
    elif not official and inp.get("letter") is not True:
        r.warn(*say(PAPER_WORDS["visitors_letter"], rule=quote(LETTER, "visitors-letter")), LETTER)
    r.cite(LETTER)  # the letter it needs is among the documents to attach
    if official:
        r.note(*say(PAPER_WORDS["checklist"], rule=quote(CHECKLIST, "checklist")), CHECKLIST)
    r.cite(REIMBURSEMENT)  # what the claim attaches: the documents list, exact for the case
    r.note(*say(PAPER_WORDS["prohibitions"], luxury=quote(PROHIBITIONS, "luxury"), clubs=quote(PROHIBITIONS, "clubs")), PROHIBITIONS)


def documents(inp: dict) -> dict[str, bool]:
    """Which of the documents the reception clauses list this claim needs: the official letter for an official
    reception; for a business one the visitors' letter, or without it the signed record of the contact; the alcohol
    approval form when a business reception served alcohol."""
    official = inp["kind"] == "official"
    return {"official-letter": official, "business-letter": not official and inp.get("letter") is not False,
            "contact-record": not official and inp.get("letter") is False,
            "alcohol-approval-form": not official and inp.get("alcohol") is True}


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    voided = inp["kind"] == "official" and inp.get("letter") is False
    limit, rate, rate_id, _ = per_head_limit(inp)
    cost_line(r, inp, voided)
    allowed_hosts = hosts_rule(r, inp)
    meals_and_alcohol(r, inp)
    paperwork(r, inp, voided)
    r.cite(CARD)
    r.cite(EXPENSE_FORM)
    return r.build(inp, voided=voided, max_hosts=allowed_hosts, attach=documents(inp),
                   limit={"amount": amount_json(limit), "text": fmt_money(limit), "per_head": amount_json(rate),
                          "people": inp["guests"] + counted_hosts(inp), "hosts_counted": counted_hosts(inp),
                          "meals": inp["meals"], "clause": clause_of(rate_id)})
