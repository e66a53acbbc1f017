"""误餐补助和市内交通费 — errands in the Tuodong urban area (沱东城区), under finance.travel.

Input: the fields declared in ``FIELDS`` below (``python -m calculators errand --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

Missed-meal allowance per meal, at most so many meals a day; taxi fares reimbursed as receipted,
up to a daily cap.  Both need the Bureau's principal leader's consent.
"""

from __future__ import annotations

from .fields import DAYS, DAY_HELP, Amount, Day, Form, Int, ListOf
from .money import ZERO, fmt, fmt_money
from .result import EXPENSE_FORM, Result, guarded
from .rules import clause_of, quote, value
from .wording import say

NAME = "errand"
TITLE = {"zh": "沱东城区办事误餐补助和市内交通费", "en": "Errands in the Tuodong urban area: missed meals and taxis"}
SECTION = "finance.travel"
DEFAULT_INPUT = {"days": [{"meals": 1, "taxi": 26}, {"meals": 2, "taxi": 41}]}

APPROVAL = "finance.travel.approval"
MAX_MEALS_ENTERED = 10  # an input bound, not a rule: the rule's daily cap comes from the data


FIELDS = Form(
    ListOf(name="days", label=("在沱东城区办事的日子", "Days of errands in the Tuodong urban area"),
           help=("每天一行:误餐补助和出租车费都按天设上限", "one line a day: the meal and taxi limits are per day"), lo=DAYS[0], hi=DAYS[1],
           item=("第{n}天", "Day {n}"), add=("添加一天", "Add a day"), new={"meals": 1, "taxi": 0}, fields=(
               Int(name="meals", label=("误餐次数", "Missed meals"), required=False, default=0, lo=0, hi=MAX_MEALS_ENTERED,
                   unit=("餐", "meals"),
                   help=("因工作确实不能回家就餐的餐数;每天补助的餐数有上限", "meals work truly kept you from going home for; only so many a day are paid")),
               Amount(name="taxi", label=("当天出租车费", "Taxi fares that day"), required=False, default=0,
                      help=("单位不能派车、工作又紧急时乘坐出租车的票据合计;凭票据报销,每天有上限",
                            "the receipts' total when no unit car was available and the work was urgent; paid on the receipts, up to a daily cap")),
           )),
    Day(name="date", label=("办事首日", "First day of the errands"), help=DAY_HELP, required=False),
)


def _read(data) -> dict:
    return FIELDS.read(data)


# ---------------------------------------------------------------------------- the rules, one function each

WORDS = {
    "meals": ("误餐补助:{rate} 元/餐 × {n} 餐", "Missed-meal allowance: {rate} yuan/meal × {n} meal(s)"),
    "taxi": ("市内交通费(出租车,凭据,每天不超过 {cap} 元)", "Local transport (taxi, on receipts, at most {cap} yuan a day)"),
    "meals_capped": ("每天最多补助 {max} 餐:第 {days} 天超出的餐次不予补助。",
                     "At most {max} meals a day are paid: the extra meals on day(s) {days} are not."),
    "taxi_capped": ("出租车费每天最多报销 {cap} 元:超出部分 {excess} 元不予报销,由个人自理。",
                    "Taxi fares are reimbursed up to {cap} yuan a day: the excess of {excess} yuan is not, and is the "
                    "traveller's own."),
    "taxi_own": ("出租车费超过每天 {cap} 元的部分", "Taxi fares above {cap} yuan a day"),
    # the regulation's own sentences come from the data (the clauses' ``quotes``, rules.quote), worded as on the day
    "consent": ("须经局主要领导同意:{q}。", "The Bureau's principal leader's consent is needed: {q}."),
    "when": ("误餐补助只适用于原文所写的情形:“{meal}”;出租车费同样:“{taxi}”。",
             "The missed-meal allowance applies only as the text says: \u201c{meal}\u201d; taxi fares likewise: "
             "\u201c{taxi}\u201d."),
}


def meal_line(r: Result, days: list[dict]) -> None:
    """Missed meals: so much a meal, at most so many meals a day."""
    per_meal, max_meals = value("errand.meal.per_meal"), value("errand.meal.max_per_day")
    meals = sum((min(d["meals"], max_meals) for d in days), ZERO)
    capped = [str(i + 1) for i, d in enumerate(days) if d["meals"] > max_meals]
    if meals:
        r.line(*say(WORDS["meals"], rate=fmt(per_meal), n=fmt(meals)), per_meal * meals, clause_of("errand.meal.per_meal"))
    if capped:
        r.warn(*say(WORDS["meals_capped"], max=fmt(max_meals), days=("、".join(capped), ", ".join(capped))),
               clause_of("errand.meal.max_per_day"))


def taxi_line(r: Result, days: list[dict]) -> None:
    """Taxi fares as receipted, up to a daily cap."""
    cap = value("errand.taxi.max_per_day")
    taxi = sum((min(d["taxi"], cap) for d in days), ZERO)
    excess = sum((d["taxi"] - cap for d in days if d["taxi"] > cap), ZERO)
    if taxi:
        r.line(*say(WORDS["taxi"], cap=fmt(cap)), taxi, clause_of("errand.taxi.max_per_day"))
    if excess:
        r.warn(*say(WORDS["taxi_capped"], cap=fmt(cap), excess=fmt_money(excess)), clause_of("errand.taxi.max_per_day"))
        r.pays_own(*say(WORDS["taxi_own"], cap=fmt(cap)), excess, clause_of("errand.taxi.max_per_day"))


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    meal_line(r, inp["days"])
    taxi_line(r, inp["days"])
    r.warn(*say(WORDS["consent"], q=quote(APPROVAL, "errand-consent")), APPROVAL)
    r.note(*say(WORDS["when"], meal=quote(clause_of("errand.meal.per_meal"), "missed-meal"),
                taxi=quote(clause_of("errand.taxi.max_per_day"), "taxi")), clause_of("errand.meal.per_meal"))
    r.cite(EXPENSE_FORM)
    return r.build(inp, attach={"taxi-receipts": any(d["taxi"] for d in inp["days"])})
