"""培训费 — training costs under the composite quota of finance.travel.reimbursement.

Input: the fields declared in ``FIELDS`` below (``python -m calculators training --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

``trainee``: the organiser did not cover board and lodging, so the trainee claims lodging +
meals of the quota per day.  ``organizer``: the cap of a training the Bureau runs, the full
composite quota per person-day.  The duration brackets cut the quota; by default (``tiered``)
each bracket's percentage applies to the days inside it, the way the parent national rules
apply them; ``whole`` applies one percentage, that of the bracket holding the whole length.
``fee_paid``: the trainee paid the organiser a fee (``fee``), reimbursed in full on its receipt, whatever the quota.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import DAYS, DAY_HELP, PEOPLE, Amount, Choice, Day, Form, Int
from .money import ZERO, amount_json, fmt, fmt_money, percent, round_cents
from .result import EXPENSE_FORM, Result, guarded
from .rules import applies, clause_of, quote, reading, value
from .wording import say

NAME = "training"
TITLE = {"zh": "培训费", "en": "Training costs"}
SECTION = "finance.travel"
DEFAULT_INPUT = {"mode": "trainee", "days": 10}

MODES = {
    "trainee": ("参训人员(培训举办单位没有统一解决食宿费用)", "trainee (the organiser did not cover board and lodging)"),
    "organizer": ("培训举办单位(综合定额)", "organiser (composite quota)"),
    "fee_paid": ("参训人员(已向培训举办单位统一缴纳费用)", "trainee (paid a fee to the organiser)"),
}
READINGS = {"tiered": ("分段计算(默认)", "by bracket (default)"),
            "whole": ("按全程所在档次", "whole training in one bracket")}
QUOTA = "training.quota.total"
REIMBURSEMENT = "finance.travel.reimbursement"  # the clause whose sentences the results quote
# The editorial note of the quota's clause (the trainee's quota is its lodging and meal columns only), by its id in
# data/, quoted by a trainee's result.
TRAINEE_QUOTA = applies(REIMBURSEMENT, "trainee-quota")


def brackets() -> list[tuple[int, int | None, Decimal]]:
    """``[(first day, last day or None, percent), ...]`` from the data: 1-7, 8-15, 16-30, 31-."""
    t1 = int(value("training.duration.tier1_days"))
    t2 = int(value("training.duration.tier2_days"))
    t3 = int(value("training.duration.tier3_days"))
    return [
        (1, t1, value("training.duration.tier1_percent")),
        (t1 + 1, t2, value("training.duration.tier2_percent")),
        (t2 + 1, t3, value("training.duration.tier3_percent")),
        (t3 + 1, None, value("training.duration.tier4_percent")),
    ]


def daily_quota(mode: str) -> tuple[Decimal, str, str]:
    """(quota per person-day, zh, en) for the mode."""
    if mode == "trainee":
        lodging, meals = value("training.quota.lodging"), value("training.quota.meals")
        return (lodging + meals, f"住宿费 {fmt(lodging)} + 伙食费 {fmt(meals)} 元/人·天",
                f"lodging {fmt(lodging)} + meals {fmt(meals)} yuan per person-day")
    total = value(QUOTA)
    return total, f"综合定额 {fmt(total)} 元/人·天", f"composite quota {fmt(total)} yuan per person-day"


def _range(a: int, b: int | None) -> tuple[str, str]:
    if b is None:
        return f"第 {a} 天起", f"day {a} onwards"
    return f"第 {a}–{b} 天", f"days {a}–{b}"


def cap_lines(mode: str, days: int, participants: int, reading: str) -> list[tuple[str, str, Decimal]]:
    """The cap, bracket by bracket: ``[(zh, en, amount)]``."""
    quota, q_zh, q_en = daily_quota(mode)
    out = []
    for first, last, pct in brackets():
        if reading == "tiered":
            n = max(0, min(days, last if last is not None else days) - first + 1)
            if n == 0:
                continue
            r_zh, r_en = _range(first, last)
        else:
            if days < first or (last is not None and days > last):
                continue
            n = days
            r_zh, r_en = f"全程 {days} 天(属{_range(first, last)[0]}档)", f"all {days} days (in the {_range(first, last)[1]} bracket)"
        amount = quota * percent(pct) * n * participants
        out.append((
            f"{r_zh},按定额的 {fmt(pct)}%:{q_zh} × {fmt(pct)}% × {n} 天 × {participants} 人",
            f"{r_en[0].upper()}{r_en[1:]} at {fmt(pct)}% of the quota: {q_en} × {fmt(pct)}% × {n} day(s) × {participants} person(s)",
            amount,
        ))
    return out


def cap(mode: str, days: int, participants: int = 1, reading: str = "tiered") -> Decimal:
    return sum((round_cents(a) for _, _, a in cap_lines(mode, days, participants, reading)), ZERO)


FIELDS = Form(
    Choice(name="mode", label=("计算口径", "Who is claiming"), choices=MODES,
           help=("决定用哪种定额:参训人员只按住宿费和伙食费", "decides the quota: a trainee's covers lodging and meals only")),
    Int(name="days", label=("培训天数", "Days of training"), lo=DAYS[0], hi=DAYS[1], unit=("天", "days"),
        help=("培训越长,超过各档天数的部分按定额的较低比例计算", "the longer the training, the lower the share of the quota for the days beyond each bracket")),
    Int(name="participants", label=("参训人数", "Participants"), required=False, default=1, lo=PEOPLE[0], hi=PEOPLE[1],
        unit=("人", "people"), help=("定额按人计算:限额是每人的定额乘人数", "the quota is per person: the cap is each person's quota times the people")),
    Amount(name="actual", label=("实际发生的费用", "Costs actually incurred"), required=False,
           help=("按票据合计;不填时只显示限额(报销的最高额)", "the receipts' total; if empty, only the cap (the most that is paid) is shown")),
    Amount(name="fee", label=("向举办单位缴纳的费用", "Fee paid to the organiser"), required=False,
           help=("按缴费凭据", "as receipted")),
    Choice(name="reading", label=("天数分档的读法", "Reading of the duration brackets"), choices=READINGS,
           required=False, default="tiered",
           help=("原文的分档可有两种读法,本手册默认分段计算(见条文的编者注)", "the text's brackets can be read two ways; the handbook computes by bracket (see the clause's note)")),
    Day(name="date", label=("培训首日", "First day of the training"), help=DAY_HELP, required=False),
)


def _read(data) -> dict:
    inp = FIELDS.read(data)
    if inp["mode"] == "fee_paid":
        if "fee" not in inp:
            raise FIELDS.missing("fee")
        if "actual" in inp:
            raise FIELDS.error("actual", *say(("“{mode}”为“{fee_paid}”时不填本项,只填写“{fee}”",
                                               "leave this empty when “{mode}” is “{fee_paid}”: fill in “{fee}” only"),
                                              mode=FIELDS.label("mode"), fee_paid=FIELDS.choice("mode", "fee_paid"),
                                              fee=FIELDS.label("fee")))
    elif "fee" in inp:
        raise FIELDS.error("fee", *say(("只用于“{mode}”为“{fee_paid}”的情形", "applies only when “{mode}” is “{fee_paid}”"),
                                       mode=FIELDS.label("mode"), fee_paid=FIELDS.choice("mode", "fee_paid")))
    return inp


# ---------------------------------------------------------------------------- the rules, one function each

CLAIM_WORDS = {
    "smaller": ("可报销:实际费用 {actual} 元与限额 {limit} 元中的较小者",
                "Reimbursable: the smaller of the actual cost ({actual} yuan) and the cap ({limit} yuan)"),
    "over": ("实际费用超过限额 {excess} 元,超出部分不予报销。",
             "The actual cost exceeds the cap by {excess} yuan; the excess is not reimbursed."),
    "own": ("实际费用超过限额的部分", "Actual cost above the cap"),
    "ceiling": ("未填写“{field}”:上面的金额是限额,即凭票据据实报销的最高额,不是补助;报销时按实际发生并有票据的费用计算,不超过此限额。",
                "“{field}” is not given: the amount above is a ceiling on the receipted costs that are reimbursed, not an "
                "allowance; the claim is the costs actually incurred, on receipts, up to it."),
}


FEE_WORDS = {
    "line": ("向举办单位缴纳的培训费用,凭据据实报销:{fee} 元",
             "The fee paid to the organiser, reimbursed as receipted: {fee} yuan"),
    "note": ("“{fee}”:不受综合定额及期限分档的限制(综合定额只适用于举办单位没有统一解决费用的情形)。“{travel}”。",
             "\u201c{Fee}\u201d: the composite quota and its duration brackets do not cap it (they apply only where the "
             "organiser did not cover the costs). \u201c{Travel}\u201d."),
}


def fee_paid(r: Result, inp: dict, clause: str) -> None:
    """A fee paid to the organiser: reimbursed in full, whatever the quota."""
    r.line(*say(FEE_WORDS["line"], fee=fmt_money(inp["fee"])), inp["fee"], clause)
    r.note(*say(FEE_WORDS["note"], **quoted()), clause)


def claim(r: Result, inp: dict, clause: str) -> dict:
    """The cap bracket by bracket, or the smaller of the actual cost and the cap (then the cap goes in ``cap``)."""
    lines = cap_lines(inp["mode"], inp["days"], inp["participants"], inp["reading"])
    if "actual" not in inp:
        for zh, en, amount in lines:
            r.line(zh, en, amount, clause)
        field = FIELDS.at("actual")
        r.warn(*say(CLAIM_WORDS["ceiling"], field=(field.label(0), field.label(1))), clause)
        return {"ceiling": True}
    limit = sum((round_cents(a) for _, _, a in lines), ZERO)
    actual = inp["actual"]
    r.line(*say(CLAIM_WORDS["smaller"], actual=fmt_money(actual), limit=fmt_money(limit)), min(actual, limit), clause)
    if actual > limit:
        r.warn(*say(CLAIM_WORDS["over"], excess=fmt_money(actual - limit)), clause)
        r.pays_own(*CLAIM_WORDS["own"], actual - limit, clause)
    return {"ceiling": False, "cap": {
        "total": amount_json(limit),
        "total_text": fmt_money(limit),
        "lines": [{"zh": zh, "en": en, "amount": amount_json(a), "amount_text": fmt_money(a), "clause": clause}
                  for zh, en, a in lines],
    }}


READING_WORDS = {
    "tiers": ("第 1–{t1} 天按定额的 {p1}%,第 {t1b}–{t2} 天按 {p2}%,第 {t2b}–{t3} 天按 {p3}%,第 {t3b} 天起按 {p4}%",
              "days 1–{t1} at {p1}% of the quota, days {t1b}–{t2} at {p2}%, days {t2b}–{t3} at {p3}%, day {t3b} onwards at {p4}%"),
    "tiered": ("期限分档按上位(国家)培训费规定的通行读法,只对超过各档天数的部分打折:{tiers}。“以内”“以上”均含本数,"
               "故第 {t1} 天属第一档、第 {t2} 天属 {p2}% 档。如需按原文字面把整个培训按其总天数所属档次计算,"
               "可在“{field}”中选择“{whole}”;本手册不采用该读法,因为它会使 {t2b} 天的培训限额"
               "({dip_long} 天定额)低于 {t2} 天的培训({dip_short} 天定额)。",
               "The duration brackets are read the way the parent national rules on training costs apply them, to the "
               "days beyond each threshold: {tiers}. “以内” (within) and “以上” (and above) include the number, so "
               "day {t1} is in the first bracket and day {t2} in the {p2}% bracket. The literal whole-training "
               "reading is available as “{whole}” in “{field}”; the handbook does not default to it because it would "
               "cap a {t2b}-day training ({dip_long} quota-days) below a {t2}-day one ({dip_short} quota-days)."),
    "whole": ("按原文字面读法(“{whole}”):整个培训按其总天数所属档次的比例计算。注意该读法下 {t2b} 天的培训限额"
              "({dip_long} 天定额)低于 {t2} 天的培训({dip_short} 天定额),故本手册默认采用“{tiered}”:{tiers}。",
              "Literal reading (“{whole}”): the whole training takes the percentage of the bracket its length "
              "falls in. Under it a {t2b}-day training is capped ({dip_long} quota-days) below a {t2}-day one "
              "({dip_short} quota-days), which is why the handbook defaults to “{tiered}”: {tiers}."),
}


def quoted() -> dict:
    """The regulation's own sentences on training costs (finance.travel.reimbursement's ``quotes``, from the data),
    for the words above: ``{travel}``, ``{covered}``, ``{fee}`` (and ``{Travel}``, ``{Fee}`` starting a sentence)."""
    out = {name: quote(REIMBURSEMENT, "training-" + qid) for name, qid in
           (("travel", "travel"), ("covered", "covered"), ("fee", "fee-paid"))}
    out.update({name.capitalize(): (out[name][0], out[name][1][:1].upper() + out[name][1][1:]) for name in ("travel", "fee")})
    return out


def reading_note(r: Result, reading: str, clause: str) -> None:
    """How the duration brackets were read, and why the tiered reading is the default."""
    (_, t1, p1), (_, t2, p2), (_, t3, p3), (_, _, p4) = brackets()
    n = {"t1": t1, "t2": t2, "t3": t3, "t1b": t1 + 1, "t2b": t2 + 1, "t3b": t3 + 1,
         "p1": fmt(p1), "p2": fmt(p2), "p3": fmt(p3), "p4": fmt(p4)}
    dips = {"dip_short": fmt(t2 * percent(p2)), "dip_long": fmt((t2 + 1) * percent(p3))}
    names = {"field": FIELDS.label("reading"), "whole": READINGS["whole"], "tiered": READINGS["tiered"]}
    r.note(*say(READING_WORDS[reading], tiers=say(READING_WORDS["tiers"], **n), **n, **dips, **names), clause)


MODE_WORDS = {
    "trainee": ("参训人员模式适用于培训举办单位没有统一解决费用的情形,按住宿费和伙食费定额控制。原文:“{covered}”(参训人员不另报销);"
                "“{fee}”;“{travel}”。",
                "Trainee mode is for a training whose organiser did not cover board and lodging: the lodging and meal "
                "quotas apply. The text: \u201c{covered}\u201d (the trainee claims nothing); \u201c{fee}\u201d; "
                "\u201c{travel}\u201d."),
    "organizer": ("举办单位模式按综合定额(住宿费、伙食费、场地费和讲课费、资料费交通费和其他费用)× 参训人数 × 天数控制。",
                  "Organiser mode caps the training at the composite quota (lodging, meals, venue and lecturers, "
                  "materials, transport and other costs) × participants × days."),
}


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    clause = clause_of(QUOTA)
    # the trip's own papers go with the travel claim, made separately; a trainee's quota caps receipted lodging
    attach = {"travel-approval-form": False, "tickets": False, "official-business-card": False,
              "lodging-invoices": inp["mode"] == "trainee", "training-fee-receipts": inp["mode"] == "fee_paid"}
    if inp["mode"] == "fee_paid":
        fee_paid(r, inp, clause)
        r.cite(EXPENSE_FORM)
        return r.build(inp, attach=attach, ceiling=False)
    extra = claim(r, inp, clause)
    reading_note(r, inp["reading"], clause)
    r.note(*say(MODE_WORDS[inp["mode"]], **quoted()), clause)
    if inp["mode"] == "trainee":
        r.note(*reading(*TRAINEE_QUOTA), clause)
    r.cite(EXPENSE_FORM)
    return r.build(inp, attach=attach, **extra)
