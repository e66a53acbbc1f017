"""误餐补助和市内交通费 — errands in the Tuodong urban area (沱东城区), under finance.travel.

Input::

    {"days": [{"meals"?: n, "taxi"?: x}, ...]}   # one entry per day of errands

Missed-meal allowance per meal, at most so many meals a day; taxi fares reimbursed as receipted,
up to a daily cap.  Both need the Bureau's principal leader's consent.
"""

from __future__ import annotations

from . import validate as v
from .money import ZERO, fmt, fmt_money
from .result import Result, guarded
from .rules import clause_of, value

NAME = "errand"
TITLE = {"zh": "沱东城区办事误餐补助和市内交通费", "en": "Errands in the Tuodong urban area: missed meals and taxis"}
SECTION = "finance.travel"
DEFAULT_INPUT = {"days": [{"meals": 1, "taxi": 26}, {"meals": 2, "taxi": 41}]}

APPROVAL = "finance.travel.approval"
MAX_MEALS_ENTERED = 10  # an input bound, not a rule: the rule's daily cap comes from the data


def _read(data) -> dict:
    d = v.obj(data, "", ("days",))
    days = []
    for i, raw in enumerate(v.array(d, "days", "", v.DAYS[0], v.DAYS[1])):
        p = v.join("days", i)
        item = v.obj(raw, p, ("meals", "taxi"))
        days.append({"meals": v.integer(item, "meals", p, 0, MAX_MEALS_ENTERED, 0), "taxi": v.amount(item, "taxi", p, ZERO)})
    return {"days": days}


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
