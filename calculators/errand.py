"""误餐补助和市内交通费 — errands in the Tuodong urban area (沱东城区), under finance.travel.

Input::

    {"days": [{"meals"?: n, "taxi"?: x}, ...]}   # one entry per day of errands

Missed-meal allowance per meal, at most so many meals a day; taxi fares reimbursed as receipted,
up to a daily cap.  Both need the Bureau's principal leader's consent.
"""

from __future__ import annotations

from .fields import DAYS, Amount, Form, Int, ListOf
from .money import ZERO, fmt, fmt_money
from .result import Result, guarded
from .rules import clause_of, value

NAME = "errand"
TITLE = {"zh": "沱东城区办事误餐补助和市内交通费", "en": "Errands in the Tuodong urban area: missed meals and taxis"}
SECTION = "finance.travel"
DEFAULT_INPUT = {"days": [{"meals": 1, "taxi": 26}, {"meals": 2, "taxi": 41}]}

APPROVAL = "finance.travel.approval"
MAX_MEALS_ENTERED = 10  # an input bound, not a rule: the rule's daily cap comes from the data


FIELDS = Form(
    ListOf(name="days", label=("办事日", "Days of errands"), help=("每天一行", "one line a day"), lo=DAYS[0], hi=DAYS[1],
           item=("第{n}天", "Day {n}"), add=("添加一天", "Add a day"), new={"meals": 1, "taxi": 0}, fields=(
               Int(name="meals", label=("误餐次数", "Missed meals"), required=False, default=0, lo=0, hi=MAX_MEALS_ENTERED,
                   unit=("餐", "meals")),
               Amount(name="taxi", label=("出租车费", "Taxi fares"), required=False, default=0),
           )),
)


def _read(data) -> dict:
    return FIELDS.read(data)


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME)
    per_meal = value("errand.meal.per_meal")
    max_meals = value("errand.meal.max_per_day")
    taxi_cap = value("errand.taxi.max_per_day")

    meals = ZERO
    taxi = ZERO
    capped_meals, capped_taxi = [], []
    for i, day in enumerate(inp["days"]):
        m = min(day["meals"], max_meals)
        if day["meals"] > max_meals:
            capped_meals.append(i + 1)
        meals += m
        t = min(day["taxi"], taxi_cap)
        if day["taxi"] > taxi_cap:
            capped_taxi.append((i + 1, day["taxi"] - taxi_cap))
        taxi += t

    if meals:
        r.line(f"误餐补助:{fmt(per_meal)} 元/餐 × {fmt(meals)} 餐",
               f"Missed-meal allowance: {fmt(per_meal)} yuan/meal × {fmt(meals)} meal(s)",
               per_meal * meals, clause_of("errand.meal.per_meal"))
    if taxi:
        r.line(f"市内交通费(出租车,凭据,每天不超过 {fmt(taxi_cap)} 元)",
               f"Local transport (taxi, on receipts, at most {fmt(taxi_cap)} yuan a day)",
               taxi, clause_of("errand.taxi.max_per_day"))
    if capped_meals:
        days = "、".join(str(n) for n in capped_meals)
        r.warn(f"每天最多补助 {fmt(max_meals)} 餐:第 {days} 天超出的餐次不予补助。",
               f"At most {fmt(max_meals)} meals a day are paid: the extra meals on day(s) {', '.join(str(n) for n in capped_meals)} "
               "are not.", clause_of("errand.meal.max_per_day"))
    if capped_taxi:
        excess = sum((x for _, x in capped_taxi), ZERO)
        r.warn(f"出租车费每天最多报销 {fmt(taxi_cap)} 元:超出部分 {fmt_money(excess)} 元不予报销。",
               f"Taxi fares are reimbursed up to {fmt(taxi_cap)} yuan a day: the excess of {fmt_money(excess)} yuan is not.",
               clause_of("errand.taxi.max_per_day"))
    r.warn("在资阳沱东城区办事报销误餐补助和市内交通费,须经局主要领导同意:由经办人报分管科(室、处、中心)的局(会)领导同意后再报局主要领导审签。",
           "Claiming missed-meal allowance or local transport for errands in the Tuodong urban area needs the Bureau's "
           "principal leader's consent: the leader in charge of the section agrees first, then the principal leader signs.",
           APPROVAL)
    r.note("误餐补助只适用于因工作需要确实不能回家就餐的情形;出租车费只适用于单位不能提供交通工具、工作紧急又确需租用出租汽车的情形,据实报销。",
           "The missed-meal allowance applies only when work truly prevents going home for the meal; taxi fares only when "
           "the unit cannot provide transport and the work is urgent, and are reimbursed as receipted.",
           clause_of("errand.meal.per_meal"))
    return r.build(inp)
