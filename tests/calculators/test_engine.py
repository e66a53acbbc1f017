"""The calculators from Python: the golden cases, then rule by rule, then the errors."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from calc_common import GOLDEN, check_shape, dec, lookup

import calculators
from calculators import CALCULATORS, CalcError, api, compute, rules
from calculators.errors import INTERNAL


def _id(case):
    return f"{case['calculator']}: {case['name']}"


# --------------------------------------------------------------------------- golden cases


def test_golden_covers_every_calculator():
    for name in CALCULATORS:
        assert sum(1 for c in GOLDEN if c["calculator"] == name) >= 3, name


def test_golden_cases_carry_the_day_they_were_computed_for():
    """A golden total holds for the rules of one day: an amendment of the data must not change it (issue 19)."""
    for case in GOLDEN:
        assert rules.parse_day(case["input"].get("date")), case["name"]


@pytest.mark.parametrize("case", GOLDEN, ids=_id)
def test_golden(case):
    given = copy.deepcopy(case["input"])
    result = compute(case["calculator"], case["input"])
    assert case["input"] == given, "compute() must not change its input"
    check_shape(result)
    assert dec(result["total"]) == dec(case["total"]), (result["total"], result["lines"])
    for path, want in case.get("expect", {}).items():
        got = lookup(result, path)
        assert (dec(got) == dec(want)) if isinstance(want, (int, float)) and not isinstance(want, bool) else got == want, path
    warned = {w["clause"] for w in result["warnings"]}
    for clause in case.get("warn", []):
        assert clause in warned, (clause, result["warnings"])
    for clause in case.get("no_warn", []):
        assert clause not in warned, (clause, result["warnings"])
    noted = {n.get("clause") for n in result["notes"]}  # a reading applied: its note, citing the clause
    for clause in case.get("note", []):
        assert clause in noted, (clause, result["notes"])
    for clause in case.get("no_note", []):
        assert clause not in noted, (clause, result["notes"])
    if "attach" in case:  # the documents to attach, exactly, in order
        assert [a["id"] for a in result["attachments"]] == case["attach"], result["attachments"]


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_default_input_and_title(name):
    module = CALCULATORS[name]
    assert module.TITLE["zh"] and module.TITLE["en"]
    assert rules.exists(module.SECTION)
    result = module.compute(copy.deepcopy(module.DEFAULT_INPUT))
    check_shape(result)
    assert result["calculator"] == name
    # the normalised input is accepted again and gives the same result
    again = module.compute(result["input"])
    assert again["total"] == result["total"]


# --------------------------------------------------------------------------- travel


def travel(**kw):
    data = {"rank": "other", "legs": [{"region": "in_province", "days": 2}]}
    data.update(kw)
    return compute("travel", data)


def warned(result, clause):
    return [w for w in result["warnings"] if w["clause"] == clause]


def test_travel_rates_come_from_the_rules():
    meal, misc = rules.value("travel.meal.in_province"), rules.value("travel.misc.in_province")
    assert dec(travel()["total"]) == (meal + misc) * 2


def test_travel_out_of_province_needs_meal_rate():
    with pytest.raises(CalcError) as err:
        compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1},
                                                     {"region": "out_of_province", "days": 2}]})
    assert err.value.field == "legs[1].meal_rate"
    assert "附表" in err.value.zh and "annex" in err.value.en


def test_travel_meal_rate_ignored_inside_sichuan():
    result = travel(legs=[{"region": "in_province", "days": 2, "meal_rate": 999}])
    assert dec(result["total"]) == dec(travel()["total"])
    assert any("Leg 1 · Meal allowance per day”" in n["en"] for n in result["notes"])  # its label, not its code
    assert not any("meal_rate" in n["zh"] + n["en"] for n in result["notes"] + result["warnings"])


def test_travel_unit_transport_halves_misc_and_drops_transport():
    plain = travel()
    result = travel(unit_transport=True, transport=[{"amount": 300, "mode": "rail", "class": "hsr_second"}])
    misc = rules.value("travel.misc.in_province") * 2
    pct = rules.value("travel.misc.unit_transport_percent")
    assert dec(result["total"]) == dec(plain["total"]) - misc + misc * pct / 100
    assert not [line for line in result["lines"] if line["clause"] == "finance.travel.intercity-transport"]
    assert warned(result, "finance.travel.reimbursement")


def test_travel_no_invoice_voids_everything():
    result = travel(lodging={"nights": 1, "amount": 300, "invoice": False},
                    transport=[{"amount": 120}])
    assert result["total"] == 0 and result["lines"] == [] and result["voided"] is True
    (w,) = warned(result, "finance.travel.reimbursement")
    assert "void" in w["en"] and "不得报销" in w["zh"]


def test_travel_lodging_cap_and_warnings():
    result = travel(lodging={"nights": 1, "amount": 450, "invoice": True, "cap_per_night": 400})
    lodging = [line for line in result["lines"] if line["clause"] == "finance.travel.lodging"]
    assert dec(lodging[0]["amount"]) == 400
    assert any("50.00" in w["zh"] for w in warned(result, "finance.travel.reimbursement"))
    uncapped = travel(lodging={"nights": 1, "amount": 450, "invoice": True})
    assert warned(uncapped, "finance.travel.lodging"), "no cap: claim as entered and warn"


def test_travel_too_many_nights_warns():
    result = travel(lodging={"nights": 5, "amount": 450, "invoice": True, "cap_per_night": 400})
    assert any("nights" in w["en"] or "night(s)" in w["en"] for w in warned(result, "finance.travel.reimbursement"))


def test_travel_city_lodging_needs_principal_leader():
    for region in ("ziyang_county", "yanjiang_rural"):
        result = travel(legs=[{"region": region, "days": 2}], lodging={"nights": 1, "amount": 150, "invoice": True, "cap_per_night": 200})
        assert warned(result, "finance.travel.lodging")
        assert result["decision"]["approval"]["approver"] == "principal_leader"
    # without lodging: no such warning, ordinary approval
    result = travel(legs=[{"region": "ziyang_county", "days": 2}])
    assert not warned(result, "finance.travel.lodging")
    assert result["decision"]["approval"]["approver"] == "leader_in_charge"


def test_travel_flight_and_classes():
    result = travel(transport=[{"amount": 900, "mode": "air", "class": "economy"}])
    assert warned(result, "finance.travel.approval")
    assert not warned(result, "finance.travel.intercity-transport")
    business = travel(transport=[{"amount": 2500, "mode": "air", "class": "business", "entitled_fare": 900}])
    assert warned(business, "finance.travel.intercity-transport")
    assert dec(business["total"]) == dec(result["total"])
    # rank "other" on a soft sleeper: above entitlement; a department-level official: fine
    assert warned(travel(transport=[{"amount": 400, "mode": "rail", "class": "soft_sleeper"}]), "finance.travel.intercity-transport")
    assert not warned(travel(rank="department", transport=[{"amount": 400, "mode": "rail", "class": "soft_sleeper"}]),
                      "finance.travel.intercity-transport")
    # a lower class than one's own is always fine
    assert not warned(travel(rank="department", transport=[{"amount": 90, "mode": "rail", "class": "hard_seat"}]),
                      "finance.travel.intercity-transport")


def test_travel_entitlements_are_the_data_lists():
    for rank in ("department", "other"):
        for mode in ("air", "ship", "rail"):
            for cls in rules.classes(f"travel.class.{rank}.{mode}"):
                result = travel(rank=rank, transport=[{"amount": 100, "mode": mode, "class": cls}])
                assert not warned(result, "finance.travel.intercity-transport"), (rank, mode, cls)


def test_travel_class_needs_a_classed_mode():
    with pytest.raises(CalcError) as err:
        travel(transport=[{"amount": 10, "class": "economy"}])
    assert err.value.field == "transport[0].class"
    with pytest.raises(CalcError) as err:
        travel(transport=[{"amount": 10, "mode": "rail", "class": "economy"}])
    assert err.value.field == "transport[0].class"


def test_travel_senior_travellers_warn():
    result = travel(all_deputy_county_or_above=True)
    assert warned(result, "finance.travel.approval")
    assert result["decision"]["approval"]["approver"] == "principal_leader"


def test_travel_days_limit_across_legs():
    with pytest.raises(CalcError) as err:
        travel(legs=[{"region": "in_province", "days": 200}, {"region": "in_province", "days": 200}])
    assert err.value.field == "legs"


# --------------------------------------------------------------------------- errand, training


def test_errand_caps_from_rules():
    result = compute("errand", {"days": [{"meals": 5, "taxi": 1000}]})
    expect = rules.value("errand.meal.per_meal") * rules.value("errand.meal.max_per_day") + rules.value("errand.taxi.max_per_day")
    assert dec(result["total"]) == expect
    assert warned(result, "finance.travel.approval")


def test_training_tiered_boundaries():
    q = rules.value("training.quota.lodging") + rules.value("training.quota.meals")
    t1, t2, t3 = (int(rules.value(f"training.duration.tier{i}_days")) for i in (1, 2, 3))
    p = [rules.value(f"training.duration.tier{i}_percent") / 100 for i in (1, 2, 3, 4)]

    def cap(days):
        return dec(compute("training", {"mode": "trainee", "days": days})["total"])

    assert cap(t1) == q * p[0] * t1
    assert cap(t1 + 1) - cap(t1) == q * p[1]
    assert cap(t2 + 1) - cap(t2) == q * p[2]
    assert cap(t3 + 1) - cap(t3) == q * p[3]


def test_training_whole_reading_dips_and_says_why():
    t2 = int(rules.value("training.duration.tier2_days"))

    def cap(days, reading):
        return dec(compute("training", {"mode": "trainee", "days": days, "reading": reading})["total"])

    assert cap(t2 + 1, "whole") < cap(t2, "whole")
    assert cap(t2 + 1, "tiered") > cap(t2, "tiered")
    notes = compute("training", {"mode": "trainee", "days": 3})["notes"]
    assert any("whole" in n["en"] for n in notes)


def test_training_organizer_uses_composite_times_participants():
    result = compute("training", {"mode": "organizer", "days": 2, "participants": 7})
    assert dec(result["total"]) == rules.value("training.quota.total") * 2 * 7


# --------------------------------------------------------------------------- study, reception


def test_study_pro_rata_and_validation():
    result = compute("study", {"sessions_held": 12, "sessions_attended": 6, "books_assigned": 4, "books_completed": 2,
                               "discussion": 12.5, "article": True})
    assert dec(result["total"]) == Decimal(15) + 15 + Decimal("12.5") + rules.value("study.article.points")
    for field, bad in (("sessions_attended", 13), ("books_completed", 5), ("discussion", 25.5)):
        data = {"sessions_held": 12, "sessions_attended": 6, "books_assigned": 4, "books_completed": 2,
                "discussion": 10, "article": False, field: bad}
        with pytest.raises(CalcError) as err:
            compute("study", data)
        assert err.value.field == field


def test_reception_max_hosts_table():
    from calculators.reception import max_hosts

    threshold = int(rules.value("reception.hosts.threshold_guests"))
    for g in range(1, threshold + 1):
        assert max_hosts(g) == g
    assert max_hosts(threshold + 1) == threshold
    assert max_hosts(threshold + 2) == threshold + 1
    assert max_hosts(threshold + 4) == threshold + 2


def test_reception_alcohol_rules():
    business = compute("reception", {"kind": "business", "guests": 2, "hosts": 2, "alcohol": True})
    (w,) = warned(business, "finance.reception.requirements.management")
    assert "资阳市外事和招商活动接待用酒审批单" in w["zh"]
    official = compute("reception", {"kind": "official", "guests": 2, "hosts": 2})
    assert any("alcohol" in n["en"] for n in official["notes"])


def test_reception_approval_always_warned():
    for kind in ("official", "business"):
        assert warned(compute("reception", {"kind": kind, "guests": 1, "hosts": 1}), "finance.reception.requirements.approval")


# --------------------------------------------------------------------------- leave, attendance


def test_leave_decisions_cite_clauses():
    for kind in ("personal", "sick", "annual", "marriage"):
        for role in ("staff", "section_head", "bureau_leader"):
            result = compute("leave", {"kind": kind, "days": 2, "role": role})
            d = result["decision"]
            assert d["approval"]["clause"] in result["citations"]
            assert d["certificate"]["clause"] in result["citations"]
            assert d["approval"]["zh"] and d["approval"]["en"]


def test_leave_silent_gap_is_noted():
    result = compute("leave", {"kind": "personal", "days": 1.5, "role": "section_head"})
    assert result["decision"]["approvers"][-1]["role"] == "director"
    assert any("silent" in n["en"] for n in result["notes"])


def test_attendance_boundaries_are_noted():
    for minutes in (15, 60):
        result = compute("attendance", {"event": "arrival", "minutes": minutes})
        assert any("Exactly" in n["en"] for n in result["notes"]), minutes
    assert compute("attendance", {"event": "arrival", "minutes": 14})["decision"]["classification"] == "on_time"


def test_attendance_field_rules():
    with pytest.raises(CalcError) as err:
        compute("attendance", {"event": "no_show", "minutes": 3})
    assert err.value.field == "minutes"
    with pytest.raises(CalcError) as err:
        compute("attendance", {"event": "arrival"})
    assert err.value.field == "minutes"


# --------------------------------------------------------------------------- rules come from the data


def test_a_changed_rate_changes_the_result():
    data = copy.deepcopy(rules.rules())
    data["values"]["travel.meal.in_province"]["value"] = "111"  # the first version (of the regulation's day)
    data["values"]["attendance.late.minutes"]["value"] = "10"
    first = "2020-10-08"
    late = {"event": "arrival", "minutes": 12, "date": first}
    with rules.using(data):
        with rules.in_force(rules.parse_day(first)):
            misc = rules.value("travel.misc.in_province")
        assert dec(travel(date=first)["total"]) == (111 + misc) * 2
        assert compute("attendance", late)["decision"]["classification"] == "late"
    assert compute("attendance", late)["decision"]["classification"] == "on_time"


def test_missing_rule_is_a_calc_error():
    data = copy.deepcopy(rules.rules())
    del data["values"]["travel.meal.in_province"]
    with rules.using(data):
        with pytest.raises(CalcError) as err:
            travel()
    assert err.value.field == "(rules)"


# --------------------------------------------------------------------------- input errors


BAD = [
    ("travel", [], ""),
    ("travel", {"legs": [{"region": "in_province", "days": 1}]}, "rank"),
    ("travel", {"rank": "other", "legs": []}, "legs"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 0}]}, "legs[0].days"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 366}]}, "legs[0].days"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}, {"region": "in_province", "days": True}]}, "legs[1].days"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": "two"}]}, "legs[0].days"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1.5}]}, "legs[0].days"),
    ("travel", {"rank": "other", "legs": [{"region": "mars", "days": 1}]}, "legs[0].region"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "lodging": {"nights": 1, "amount": -1, "invoice": True}}, "lodging.amount"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "lodging": {"nights": 1, "amount": 10_000_001, "invoice": True}}, "lodging.amount"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "lodging": {"nights": 1, "amount": float("nan"), "invoice": True}}, "lodging.amount"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "lodging": {"nights": 1, "amount": float("inf"), "invoice": True}}, "lodging.amount"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "lodging": {"nights": 1, "amount": 1, "invoice": 1}}, "lodging.invoice"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "transport": [{"amount": 1, "colour": "red"}]}, "transport[0].colour"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "extra": 1}, "extra"),
    ("training", {"mode": "trainee", "days": 3, "participants": 1001}, "participants"),
    ("training", {"mode": "trainee", "days": 3, "participants": 0}, "participants"),
    ("training", {"mode": "trainee", "days": 3, "reading": "literal"}, "reading"),
    ("reception", {"kind": "official", "guests": 0, "hosts": 1}, "guests"),
    ("reception", {"kind": "official", "guests": 2, "hosts": 1, "amount": "一百元"}, "amount"),
    ("reception", {"kind": "official", "guests": 2, "hosts": 1, "amount": "1,23.5"}, "amount"),
    ("leave", {"kind": "personal", "days": 0, "role": "staff"}, "days"),
    ("leave", {"kind": "personal", "days": 1, "role": "director"}, "role"),
    ("errand", {"days": [{"meals": -1}]}, "days[0].meals"),
    ("training", {"mode": "fee_paid", "days": 3}, "fee"),
    ("training", {"mode": "trainee", "days": 3, "fee": 100}, "fee"),
    ("training", {"mode": "fee_paid", "days": 3, "fee": 100, "actual": 100}, "actual"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}], "transport": [{"amount": 1, "leg": 2}]}, "transport[0].leg"),
    ("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1, "provided": "car"}]}, "legs[0].provided"),
    ("reception", {"kind": "business", "guests": 8, "hosts": 2, "invited": 3}, "invited"),
    ("reception", {"kind": "official", "guests": 8, "hosts": 8, "invited": 3}, "invited"),
    ("attendance", {"event": "arrival", "minutes": 500, "workday_minutes": 480}, "minutes"),
    ("attendance", {"event": "no_show", "workday_minutes": 480}, "workday_minutes"),
]


@pytest.mark.parametrize("name,data,field", BAD, ids=[f"{n}:{f or 'root'}" for n, _, f in BAD])
def test_invalid_input_names_the_field(name, data, field):
    with pytest.raises(CalcError) as err:
        compute(name, data)
    e = err.value
    assert e.field == field
    assert e.zh and e.en and e.field != INTERNAL
    if field:  # named by its label as the reader sees it, never by its code (issue 21)
        at = CALCULATORS[name].FIELDS.at(field)
        assert e.zh.startswith(at.label(0)) and e.en.lower().startswith(at.label(1).lower()), (e.zh, e.en)
        if any(c in field for c in ".[_") and "未知字段" not in e.zh:  # (an unknown key is quoted back as typed)
            assert field not in e.zh and field not in e.en, (e.zh, e.en)


def test_issue_9_readings_are_noted_and_cited():
    """Each reading the text does not make explicit is stated in a note that cites its clause (whose page carries the
    editorial note in data/)."""
    def noted(result, clause):
        return [n for n in result["notes"] if n.get("clause") == clause]

    jianyang = travel(legs=[{"region": "ziyang_county", "days": 1}])
    assert any("简阳" in n["zh"] and "Chengdu" in n["en"] for n in noted(jianyang, "finance.travel.meal-allowance"))
    lodging = travel(lodging={"nights": 3, "amount": 450, "invoice": True})
    assert noted(lodging, "finance.travel.reimbursement") and any("1 night" in w["en"] for w in warned(lodging, "finance.travel.reimbursement"))
    host = travel(legs=[{"region": "in_province", "days": 2, "provided": "host"}])
    assert noted(host, "finance.travel.intercity-transport")
    assert dec(host["total"]) == dec(travel()["total"]), "a host's paid transport halves nothing"
    study = compute("study", {"sessions_held": 1, "sessions_attended": 0, "books_assigned": 1, "books_completed": 0,
                              "discussion": 0, "article": False, "published": 1})
    assert noted(study, "meetings.central-group-study.assessment")
    hosts = compute("reception", {"kind": "business", "guests": 8, "hosts": 8})
    assert noted(hosts, "finance.reception.requirements.standards")
    late = compute("attendance", {"event": "arrival", "minutes": 120})
    assert any("Working hours that day" in n["en"] and "当天工作时间" in n["zh"] for n in late["notes"])
    for kind in ("annual", "home_visit", "marriage", "maternity"):
        written = compute("leave", {"kind": kind, "days": 2, "role": "staff"})["decision"]["written_request"]
        assert written["required"] and not written["approvers_named"], kind
    fee = compute("training", {"mode": "fee_paid", "fee": 3000, "days": 10})
    assert dec(fee["total"]) == 3000 > dec(compute("training", {"mode": "trainee", "days": 10})["total"])


def test_messages_name_the_field_by_its_label():
    with pytest.raises(CalcError) as err:
        compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 0}]})
    e = err.value
    assert e.zh.startswith("第1段行程 · 天数:") and "1–365" in e.zh and "legs[0]" not in e.zh and e.field == "legs[0].days"
    assert e.en.startswith("Leg 1 · Days: ") and "from 1 to 365" in e.en and "legs[0]" not in e.en
    with pytest.raises(CalcError) as err:
        compute("study", {"sessions_held": 12, "sessions_attended": 6, "books_assigned": 4, "books_completed": 2,
                          "discussion": 30, "article": True})
    assert "讨论发言和学习记录得分" in err.value.zh and str(rules.value("study.discussion.points").normalize()) in err.value.zh
    with pytest.raises(CalcError) as err:
        compute("travel", {"rank": "other", "legs": [{"region": "in_province", "days": 1}],
                           "lodging": {"nights": 1, "amount": "abc", "invoice": True}})
    assert err.value.zh.startswith("住宿(一个城市) · 住宿发票金额:") and "字符串" not in err.value.zh
    assert "string" not in err.value.en


@pytest.mark.parametrize("typed,want", [("５４０", 540), ("540元", 540), ("1,234.5", Decimal("1234.5")),
                                        (" １，２３４．５ 元 ", Decimal("1234.5")), ("96.5", Decimal("96.5"))])
def test_amounts_accept_what_people_type(typed, want):
    result = compute("reception", {"kind": "business", "guests": 100, "hosts": 1, "amount": typed})
    assert dec(result["input"]["amount"]) == want
    days = compute("training", {"mode": "trainee", "days": "１０"})
    assert days["input"]["days"] == 10


def test_unknown_calculator():
    with pytest.raises(CalcError) as err:
        compute("mortgage", {})
    assert err.value.field == "calculator"


def test_null_optional_field_is_absent():
    a = compute("training", {"mode": "trainee", "days": 3, "actual": None, "participants": None})
    b = compute("training", {"mode": "trainee", "days": 3})
    assert a["total"] == b["total"]


# --------------------------------------------------------------------------- api.run (the browser's entry point)


def test_api_run_ok_and_errors():
    ok = json.loads(api.run("training", '{"mode": "trainee", "days": 7}'))
    assert ok["ok"] is True and ok["result"]["total_text"]
    bad = json.loads(api.run("training", '{"mode": "trainee", "days": 0}'))
    assert bad == {"ok": False, "error": bad["error"]} and bad["error"]["field"] == "days"
    for text in ("", "{", "[1,", '{"days": NaN}', '{"days": Infinity}', "nul", "1" * 5000):
        out = json.loads(api.run("training", text))
        assert out["ok"] is False and out["error"]["field"] != INTERNAL, text
    assert json.loads(api.run("nope", "{}"))["error"]["field"] == "calculator"
    assert json.loads(api.run(None, None))["ok"] is False  # type: ignore[arg-type]
    deep = "[" * 100_000 + "]" * 100_000
    assert json.loads(api.run("travel", deep))["ok"] is False


def test_api_catalogue():
    cat = json.loads(api.catalogue())
    assert [c["name"] for c in cat] == list(calculators.CALCULATORS)
    for c in cat:
        assert json.loads(api.run(c["name"], json.dumps(c["default_input"])))["ok"] is True


# --------------------------------------------------------------------------- issue 21: claims a finance office accepts


def test_contradictions_are_refused_naming_both_fields_by_label():
    leg = {"region": "in_province", "days": 2}
    lodging = {"nights": 1, "amount": 200, "invoice": True}
    cases = [
        ({"legs": [dict(leg, provided="host")], "unit_transport": True}, "legs[0].provided",
         ("本单位派车(全部行程)", "Bureau's own car on every leg")),
        ({"legs": [dict(leg, lodging=lodging)], "lodging": lodging}, "lodging", ("本段住宿", "Lodging on this leg")),
        ({"legs": [leg], "transport": [{"amount": 100, "mode": "rail"}, {"amount": 20, "mode": "insurance"},
                                       {"amount": 20, "mode": "insurance"}]}, "transport[2].mode", ("交通意外保险", "insurance")),
    ]
    for extra, field, other in cases:
        with pytest.raises(CalcError) as err:
            compute("travel", dict({"rank": "other"}, **extra))
        e = err.value
        assert e.field == field, e
        at = CALCULATORS["travel"].FIELDS.at(field)
        assert e.zh.startswith(at.label(0)) and e.en.startswith(at.label(1)), e  # this field, by its label
        assert other[0] in e.zh and other[1] in e.en, e  # and the other one
        assert "." not in field or (field not in e.zh and field not in e.en), e  # never by its code


def test_insurance_one_policy_per_journey_by_air_rail_or_ship_on_its_leg():
    legs = [{"region": "in_province", "days": 1}, {"region": "in_province", "days": 1}]
    ok = compute("travel", {"rank": "other", "legs": legs, "transport": [
        {"amount": 100, "mode": "rail", "leg": 1}, {"amount": 20, "mode": "insurance", "leg": 1}]})
    line = next(x for x in ok["lines"] if x["amount"] == 20)
    assert "交通意外保险" in line["zh"] and "第 1 段行程" in line["zh"] and "leg 1" in line["en"]
    assert line["clause"] == "finance.travel.intercity-transport"
    assert "accident-insurance" in [a["id"] for a in ok["attachments"]]
    # a coach ticket is no journey that a policy covers; a policy on leg 2 needs a ticket on leg 2
    for tickets in ([{"amount": 50, "mode": "other"}, {"amount": 20, "mode": "insurance"}],
                    [{"amount": 100, "mode": "rail", "leg": 1}, {"amount": 20, "mode": "insurance", "leg": 2}]):
        with pytest.raises(CalcError) as err:
            compute("travel", {"rank": "other", "legs": legs, "transport": tickets})
        assert "每人次" in err.value.zh and "one policy per person per journey" in err.value.en
    with pytest.raises(CalcError) as err:
        compute("travel", {"rank": "other", "legs": legs, "transport": [
            {"amount": 100, "mode": "air", "class": "economy"}, {"amount": 20, "mode": "insurance", "class": "economy"}]})
    assert err.value.field == "transport[1].class"


def test_a_legs_lodging_is_limited_by_that_legs_days_and_cap():
    result = compute("travel", {"rank": "other", "legs": [
        {"region": "in_province", "days": 1, "lodging": {"nights": 3, "amount": 600, "invoice": True, "cap_per_night": 150}},
        {"region": "in_province", "days": 5}]})
    lodging = [x for x in result["lines"] if x["clause"] == "finance.travel.lodging"]
    assert len(lodging) == 1 and dec(lodging[0]["amount"]) == 150  # 1 night of the leg's 1 day, at the cap
    assert "第 1 段行程" in lodging[0]["zh"] and "leg 1" in lodging[0]["en"]
    own = {x["en"]: dec(x["amount"]) for x in result["traveller_pays"]["lines"]}
    assert sum(own.values()) == 600 - 150  # 2 nights beyond the leg's day (400) and the excess over the cap (50)
    assert dec(result["traveller_pays"]["total"]) == 450


def test_a_typed_lodging_cap_is_marked_unchecked_like_the_meal_rate():
    result = travel(lodging={"nights": 1, "amount": 200, "invoice": True, "cap_per_night": 300})
    assert any("本手册未核对" in n["zh"] and "has not checked" in n["en"] for n in result["notes"])
    without = travel(lodging={"nights": 1, "amount": 200, "invoice": True})
    assert not any("本手册未核对" in n["zh"] for n in without["notes"])
    assert any("局财务室" in w["zh"] and "finance office" in w["en"] for w in without["warnings"])  # where to ask


def test_notes_are_not_repeated_and_the_alcohol_note_only_when_it_applies():
    for data in ({"kind": "business", "guests": 3, "hosts": 3, "amount": 500},
                 {"kind": "official", "guests": 2, "hosts": 2, "amount": 300, "letter": True, "alcohol": True}):
        result = compute("reception", data)
        texts = [n["zh"] for n in result["notes"]] + [w["zh"] for w in result["warnings"]]
        assert len(texts) == len(set(texts)), texts
        if data["kind"] == "business":
            assert not any("接待用酒审批单" in t for t in texts)  # no alcohol entered: no alcohol-approval note
    trip = compute("travel", {"rank": "other", "legs": [{"region": "ziyang_county", "days": 1},
                                                        {"region": "ziyang_county", "days": 1}]})
    assert len({n["zh"] for n in trip["notes"]}) == len(trip["notes"])


# --------------------------------------------------------------------------- no input codes in what a reader sees


def _codes(name: str) -> set[str]:
    """The codes of a calculator's input: its field names and choice codes (``legs``, ``city_leader``, ``no_show``),
    plus the result's own keys a text could leak (``max_hosts``)."""
    from calculators.fields import Choice

    out = {"max_hosts", "null", "true", "false"}
    for _, f in CALCULATORS[name].FIELDS.walk():
        out.add(f.name)
        if isinstance(f, Choice):
            out |= set(f.options())
    return out


def _readable(obj, skip=("input", "citations", "source", "clause", "id", "role", "action", "calculator", "unit",
                         "classification", "approver")):
    """Every sentence of a result (or an error) a reader sees: each ``zh``/``en`` text, with its language."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in skip:
                continue
            if k in ("zh", "en") and isinstance(v, str):
                yield k, v
            else:
                yield from _readable(v, skip)
    elif isinstance(obj, list):
        for v in obj:
            yield from _readable(v, skip)


def code_tokens(lang: str, text: str, codes: set[str]) -> list[str]:
    """The input codes a text quotes: a snake_case word or a path (``legs[0].days``) in either language; in Chinese any
    code at all (an English word there is a code); in English a code standing alone in brackets or quotes
    (``(invited)``, ``"reading"``, ``(reading: whole)``)."""
    import re

    found = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z_]+\[\d*\](?:\.[a-z_]+)?", text)
    for word in re.findall(r"[A-Za-z_]+", text):
        if word in codes and (lang == "zh" or re.search(rf"[(（\"]{word}(?:[)）\"]|: )", text)):
            found.append(word)
    return found


def test_no_input_code_in_any_readable_text_of_a_result_or_message():
    """Issue 21: warnings, notes, lines, decisions and documents name a field by its label as the reader sees it in that
    language, never by its code (``max_hosts``, ``(invited)``, ``invoice``, ``(leg)``) — for every golden input, and for
    the messages of the checks across fields."""
    seen = 0
    for case in GOLDEN:
        codes = _codes(case["calculator"])
        result = compute(case["calculator"], case["input"])
        for lang, text in _readable(result):
            seen += 1
            assert not code_tokens(lang, text, codes), (case["name"], lang, text)
    assert seen > 1000
    for name, data, field in BAD:
        f = CALCULATORS[name].FIELDS.field(field) if field and "colour" not in field and field != "extra" else None
        if f is None or type(f).__name__ == "Choice":  # what a choice allows is listed with its codes (typed in JSON)
            continue
        with pytest.raises(CalcError) as err:
            compute(name, data)
        for lang in ("zh", "en"):
            text = getattr(err.value, lang)
            quoted = {"true", "false", "null"}  # a bad value is quoted back as typed (布尔值 true)
            assert not code_tokens(lang, text, _codes(name) - quoted), (name, field, text)


def test_the_code_finder_finds_the_codes_it_must():
    codes = _codes("reception") | _codes("travel")
    assert code_tokens("zh", "本计算器不计算其上限(max_hosts 为 null)。", codes)
    assert code_tokens("en", "enter how many were invited (invited).", codes)
    assert code_tokens("zh", "填写应邀人员人数(invited)", codes)
    assert code_tokens("en", "ticket(s) 2 name no leg (leg)", codes)
    assert code_tokens("zh", "只要填写了住宿且 invoice 为 false", codes)
    assert code_tokens("en", "Literal reading (reading: whole): the whole training", _codes("training"))
    assert not code_tokens("en", "3 hosts exceed the ratio's limit of 2 at a business reception", codes)


def test_readings_a_result_applies_are_the_editorial_notes_in_data():
    """Issue 21: a reading the calculators apply is an editorial note on its clause in data/ (kind, the regulation's
    wording, the reading, why), shown on the clause's page, and the result quotes that note, not a copy in code."""
    official = compute("reception", {"kind": "official", "guests": 2, "hosts": 3, "letter": True})
    note = rules.reading("finance.reception.requirements.standards", "business-receptions")
    assert {"zh": note[0], "en": note[1], "clause": "finance.reception.requirements.standards"} in official["notes"]
    county = travel(legs=[{"region": "ziyang_county", "days": 2}], lodging={"nights": 1, "amount": 100, "invoice": True})
    note = rules.reading("finance.travel.approval", "county-stay")
    assert {"zh": note[0], "en": note[1], "clause": "finance.travel.approval"} in county["notes"]
    assert "finance.travel.approval" in county["citations"]
    stayed_elsewhere = travel(legs=[{"region": "ziyang_county", "days": 1},
                                    {"region": "in_province", "days": 1, "lodging": {"nights": 1, "amount": 100, "invoice": True}}])
    assert not any(n["zh"] == note[0] for n in stayed_elsewhere["notes"])  # only where the rule is applied
    trainee = compute("training", {"mode": "trainee", "days": 10, "date": "2020-10-08"})  # the trainee quota's reading
    note = rules.reading("finance.travel.reimbursement", "trainee-quota")
    assert {"zh": note[0], "en": note[1], "clause": "finance.travel.reimbursement"} in trainee["notes"]
    organiser = compute("training", {"mode": "organizer", "days": 10, "date": "2020-10-08"})
    assert not any(n["zh"] == note[0] for n in organiser["notes"])
    with pytest.raises(CalcError) as err:
        rules.reading("finance.travel.approval", "no-such-note")
    assert err.value.field == "(rules)"
