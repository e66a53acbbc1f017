"""Property tests: arbitrary input gives a result or CalcError; totals add up and never go negative;
allowances never fall as a trip, or (tiered) a training, gets longer."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc_common import check_shape, dec

from calculators import CALCULATORS, CalcError, api, compute
from calculators.errors import INTERNAL
from calculators.fields import Amount, Bool, Choice, Day, Group, Int, ListOf, Name, Number
from calculators.travel import CLASSED_MODES, known_classes

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

# Field names each calculator knows (from its declaration), and some it does not, with arbitrary values.
FIELDS = {name: module.FIELDS.names() for name, module in CALCULATORS.items()}
NESTED = sorted({path.rsplit(".", 1)[-1] for module in CALCULATORS.values() for path, _ in module.FIELDS.walk() if "." in path})
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


SIZE = 4  # at most so many items in a generated list
SMALL = 60  # generated counts (days, nights) stay below this, so that a trip can grow


def strategy(field, small=False):
    """The values a declared field accepts (the reader's own bounds; ``small`` keeps counts low)."""
    if isinstance(field, Bool):
        return st.booleans()
    if isinstance(field, Day):
        first = date.fromisoformat(field.first())
        return st.dates(first, first.replace(year=first.year + 10)).map(date.isoformat)
    if isinstance(field, Name):
        return st.sampled_from(["北京", "上海", "成都", "Lhasa"])
    if isinstance(field, Choice):
        return st.sampled_from(list(field.options()))
    if isinstance(field, Amount):
        lo, hi = field.bounds()
        return st.integers(int(lo * 100), int(min(hi, 20_000) * 100)).map(lambda cents: cents / 100)
    if isinstance(field, Int):
        lo, hi = field.bounds()
        return st.integers(int(lo), int(min(hi, SMALL) if small else hi))
    if isinstance(field, Number):
        lo, hi = field.bounds()
        step = field.step or Decimal("0.01")
        return st.integers(int(lo / step), int(hi / step)).map(lambda n: float(n * step))
    if isinstance(field, ListOf):
        return st.lists(obj(field, small), min_size=field.lo, max_size=min(field.hi, SIZE))
    if isinstance(field, Group):
        return obj(field, small)
    raise AssertionError(f"no strategy for {field!r}")


def obj(fields, small=False):
    required = {f.name: strategy(f, small) for f in fields if f.required}
    optional = {f.name: strategy(f, small) for f in fields if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


def declared(name, small=False):
    return obj(CALCULATORS[name].FIELDS, small)


# What the declaration cannot say: the checks across fields each calculator makes.
def _trip(trip):
    for leg in trip["legs"]:
        if leg["region"] == "out_of_province" and "meal_rate" not in leg:
            leg["meal_rate"] = leg["days"] * 7 % 500
        if "lodging" in trip:  # a trip's lodging, or each leg's own: not both
            leg.pop("lodging", None)
        if trip.get("unit_transport") and leg.get("provided") == "host":  # the Bureau's car everywhere: no host's
            del leg["provided"]
    journeys = sum(1 for t in trip.get("transport", []) if t.get("mode") in CLASSED_MODES)
    for t in trip.get("transport", []):
        if t.get("leg", 0) > len(trip["legs"]):
            del t["leg"]
        if "class" in t and t["class"] not in (known_classes(t.get("mode", "other")) if t.get("mode") in CLASSED_MODES else ()):
            del t["class"]
        if t.get("mode") == "insurance":  # one policy per journey by air, rail or ship; no class, no leg here
            t.pop("entitled_fare", None)
            t.pop("leg", None)
            if journeys:
                journeys -= 1
            else:
                t["mode"] = "other"
    return trip


def _study(d):
    d["sessions_attended"] = min(d["sessions_attended"], d["sessions_held"])
    d["books_completed"] = min(d["books_completed"], d["books_assigned"])
    return d


def _attendance(d):
    if d["event"] == "no_show":
        d.pop("minutes", None)
        d.pop("workday_minutes", None)
    else:
        d.pop("days", None)
        d.setdefault("minutes", 20)
        if d.get("workday_minutes", 24 * 60) < d["minutes"]:
            d["workday_minutes"] = d["minutes"]
    return d


def _training(d):
    if d["mode"] == "fee_paid":
        d.pop("actual", None)
        d.setdefault("fee", 1234.5)
    else:
        d.pop("fee", None)
    return d


def _reception(d):
    d["invited"] = 0 if d["kind"] == "official" else min(d.get("invited", 0), d["hosts"])
    if "alcohol_amount" in d:  # part of the meal cost; at a business reception only when approved
        if "amount" not in d:
            del d["alcohol_amount"]
        else:
            d["alcohol_amount"] = min(d["alcohol_amount"], d["amount"])
            if d["alcohol_amount"] and d["kind"] == "business":
                d["alcohol"] = True
            elif d["alcohol_amount"] and d.get("alcohol") is False:
                del d["alcohol"]
    return d


trips = lambda: declared("travel", small=True).map(_trip)  # noqa: E731
VALID = {"travel": trips(), "training": declared("training").map(_training), "reception": declared("reception").map(_reception),
         "errand": declared("errand"), "study": declared("study").map(_study), "leave": declared("leave"),
         "attendance": declared("attendance").map(_attendance)}


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
