"""Property tests: arbitrary input gives a result or CalcError; totals add up and never go negative;
allowances never fall as a trip, or (tiered) a training, gets longer."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc_common import check_shape, dec

from calculators import CALCULATORS, CalcError, api, compute
from calculators.errors import INTERNAL
from calculators.travel import CLASSED_MODES, MODES, REGIONS, known_classes

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

# Field names each calculator knows (and some it does not), with arbitrary values.
FIELDS = {
    "travel": ["rank", "legs", "unit_transport", "lodging", "transport", "all_deputy_county_or_above"],
    "errand": ["days"],
    "training": ["mode", "days", "participants", "actual", "reading"],
    "study": ["sessions_held", "sessions_attended", "books_assigned", "books_completed", "discussion", "article", "published"],
    "reception": ["kind", "guests", "hosts", "city_leader", "amount", "meals", "alcohol", "letter"],
    "leave": ["kind", "days", "role"],
    "attendance": ["event", "minutes", "days"],
}
NESTED = ["region", "days", "meal_rate", "nights", "amount", "invoice", "cap_per_night", "mode", "class", "meals", "taxi"]

money = st.integers(0, 2_000_000).map(lambda cents: cents / 100)


def _near(name):
    """Objects with the right field names and arbitrary (often nearly right) values."""
    value = (json_values | st.sampled_from(["official", "business", "trainee", "organizer", "other", "department",
                                            "in_province", "arrival", "sick", "staff", "air", "rail"])
             | st.lists(st.dictionaries(st.sampled_from(NESTED), json_values | st.integers(0, 400), max_size=5), max_size=3)
             | st.dictionaries(st.sampled_from(NESTED), json_values | st.integers(0, 400), max_size=5))
    return st.dictionaries(st.sampled_from(FIELDS[name] + ["bogus"]), value, max_size=len(FIELDS[name]) + 1)


def _only_calc_error(name, data):
    try:
        result = compute(name, data)
    except CalcError as exc:
        assert exc.field != INTERNAL, exc.en
        assert exc.zh and exc.en
        return None
    check_shape(result)
    return result


@SETTINGS
@given(name=st.sampled_from(list(CALCULATORS)), data=json_values)
def test_arbitrary_json_gives_result_or_calc_error(name, data):
    _only_calc_error(name, data)


@SETTINGS
@given(data=st.data())
def test_near_valid_input_gives_result_or_calc_error(data):
    name = data.draw(st.sampled_from(list(CALCULATORS)))
    _only_calc_error(name, data.draw(_near(name)))


@SETTINGS
@given(name=st.sampled_from(list(CALCULATORS)), text=st.text(max_size=40) | json_values.map(json.dumps))
def test_api_run_always_answers_json(name, text):
    out = json.loads(api.run(name, text))
    assert out["ok"] in (True, False)
    if not out["ok"]:
        assert out["error"]["field"] != INTERNAL and out["error"]["zh"] and out["error"]["en"]


# --------------------------------------------------------------------------- valid inputs


@st.composite
def transport_item(draw):
    mode = draw(st.sampled_from(list(MODES)))
    item = {"amount": draw(money), "mode": mode}
    if mode in CLASSED_MODES and draw(st.booleans()):
        item["class"] = draw(st.sampled_from(known_classes(mode)))
        if draw(st.booleans()):
            item["entitled_fare"] = draw(money)
    return item


@st.composite
def trips(draw):
    legs = []
    for _ in range(draw(st.integers(1, 4))):
        leg = {"region": draw(st.sampled_from(list(REGIONS))), "days": draw(st.integers(1, 60))}
        if leg["region"] == "out_of_province":
            leg["meal_rate"] = draw(st.integers(0, 500))
        legs.append(leg)
    trip = {"rank": draw(st.sampled_from(["department", "other"])), "legs": legs,
            "unit_transport": draw(st.booleans()), "all_deputy_county_or_above": draw(st.booleans())}
    if draw(st.booleans()):
        lodging = {"nights": draw(st.integers(1, 60)), "amount": draw(money), "invoice": draw(st.booleans())}
        if draw(st.booleans()):
            lodging["cap_per_night"] = draw(st.integers(0, 1000))
        trip["lodging"] = lodging
    trip["transport"] = draw(st.lists(transport_item(), max_size=3))
    return trip


trainings = st.fixed_dictionaries(
    {"mode": st.sampled_from(["trainee", "organizer"]), "days": st.integers(1, 364),
     "participants": st.integers(1, 1000), "reading": st.sampled_from(["tiered", "whole"])},
    optional={"actual": money},
)
receptions = st.fixed_dictionaries(
    {"kind": st.sampled_from(["official", "business"]), "guests": st.integers(1, 1000), "hosts": st.integers(0, 1000)},
    optional={"city_leader": st.booleans(), "amount": money, "meals": st.integers(1, 10), "alcohol": st.booleans(),
              "letter": st.booleans()},
)
errands = st.fixed_dictionaries({"days": st.lists(st.fixed_dictionaries({}, optional={"meals": st.integers(0, 10), "taxi": money}),
                                                  min_size=1, max_size=10)})


@st.composite
def studies(draw):
    held = draw(st.integers(1, 365))
    assigned = draw(st.integers(1, 1000))
    return {"sessions_held": held, "sessions_attended": draw(st.integers(0, held)), "books_assigned": assigned,
            "books_completed": draw(st.integers(0, assigned)), "discussion": draw(st.integers(0, 2500)) / 100,
            "article": draw(st.booleans()), "published": draw(st.integers(0, 100))}


leaves = st.fixed_dictionaries({"kind": st.sampled_from(["personal", "sick", "annual", "home_visit", "marriage", "maternity"]),
                                "days": st.integers(1, 730).map(lambda h: h / 2),
                                "role": st.sampled_from(["staff", "section_head", "bureau_leader"])})
attendances = (st.fixed_dictionaries({"event": st.sampled_from(["arrival", "departure"]), "minutes": st.integers(0, 1440)})
               | st.fixed_dictionaries({"event": st.just("no_show")}, optional={"days": st.integers(1, 730).map(lambda h: h / 2)}))

VALID = {"travel": trips(), "training": trainings, "reception": receptions, "errand": errands, "study": studies(),
         "leave": leaves, "attendance": attendances}


@SETTINGS
@given(data=st.data())
def test_valid_input_totals_add_up(data):
    name = data.draw(st.sampled_from(list(VALID)))
    result = compute(name, data.draw(VALID[name]))
    check_shape(result)  # total == sum(lines) exactly, total >= 0, every cited clause listed


ALLOWANCES = ("finance.travel.meal-allowance", "finance.travel.misc-allowance")


def _allowances(result):
    return sum((dec(x["amount"]) for x in result["lines"] if x["clause"] in ALLOWANCES), Decimal(0))


@SETTINGS
@given(trip=trips(), data=st.data())
def test_allowances_never_fall_as_a_trip_gets_longer(trip, data):
    i = data.draw(st.integers(0, len(trip["legs"]) - 1))
    longer = json.loads(json.dumps(trip))
    longer["legs"][i]["days"] += data.draw(st.integers(1, 30))
    a, b = compute("travel", trip), compute("travel", longer)
    assert _allowances(b) >= _allowances(a)
    assert dec(b["total"]) >= dec(a["total"])
    if not a["voided"]:
        assert _allowances(b) > _allowances(a) or a["input"]["legs"][i].get("meal_rate", 1) == 0


@SETTINGS
@given(mode=st.sampled_from(["trainee", "organizer"]), days=st.integers(1, 364), people=st.integers(1, 1000))
def test_tiered_training_cap_never_falls_as_it_gets_longer(mode, days, people):
    a = compute("training", {"mode": mode, "days": days, "participants": people})
    b = compute("training", {"mode": mode, "days": days + 1, "participants": people})
    assert dec(b["total"]) > dec(a["total"])
