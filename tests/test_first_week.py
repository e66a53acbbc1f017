"""The first-week path, key points and task pages as data (issue 23): ``data/first-week.yaml``,
``data/key-points.yaml``, ``data/tasks.yaml``.

* the shipped files load; every first-week section has key points; every task the path names exists;
* the loader refuses, with file, line, location and reason: a bullet or step citing a missing clause, a
  figure written as a literal when it is a value of a cited clause, any other figure (digits, a Chinese
  numeral before a unit, an English number word before a unit) unless allowed with a reason, a value
  reference to a clause the text does not cite, a document that is not an attachment of its clause, a
  calculator input the engine rejects, a first-week section or task that does not exist.
Each fixture is a small file written into a copy of ``data/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from data_errors import error_for, problems_for

from handbook.model.loader import figures, load
from handbook.paths import DATA

KEY = """\
sections:
  - section: labour.attendance
    points:
      - zh: 上班超过 {value:attendance.late.minutes} 分钟视为迟到。
        en: Late by {value:attendance.late.minutes} minutes counts as late arrival.
        cites: [labour.attendance.hours]
      - zh: 请假须书面申请。
        en: Ask for leave in writing.
        cites: [labour.attendance.written-request]
      - zh: 病假 {value:leave.sick.certificate.min_days} 天以上须出具医疗证明。
        en: Sick leave of {value:leave.sick.certificate.min_days} days or more needs a certificate.
        cites: [labour.attendance.sick-leave]
"""

TASKS = """\
tasks:
  - id: travel
    title: {zh: 我要出差, en: I am travelling}
    summary: {zh: 出差前审批。, en: Approval before the trip.}
    sections: [finance.travel]
    steps:
      - title: {zh: 填写出差审批单, en: Fill in the form}
        zh: 出差须填写《出差审批单》。
        en: Every trip needs a travel approval form.
        cites: [finance.travel.approval]
        documents: [{clause: finance.travel.approval, id: travel-approval-form}]
      - title: {zh: 报销, en: Claim}
        zh: 当天来回按 {value:travel.reimbursement.same_day_trip_days} 天计算。
        en: A same-day return counts as {value:travel.reimbursement.same_day_trip_days} day.
        cites: [finance.travel.reimbursement]
        calculator: {name: travel, input: {rank: other, legs: [{region: in_province, days: 2}]}}
"""

WEEK = """\
title: {zh: 第一周必读, en: Your first week}
intro: {zh: 先读这几节。, en: Read these first.}
sections: [labour.attendance, finance.travel]
tasks: [travel]
"""


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of data/ whose key points, tasks and first week are the small files above."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for name, text in (("key-points.yaml", KEY), ("tasks.yaml", TASKS), ("first-week.yaml", WEEK)):
        (data / name).write_text(text, encoding="utf-8")
    return data


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------- the shipped data

def test_the_shipped_files_load():
    hb = load()
    week = hb.first_week
    assert week is not None and len(week.sections) >= 7
    for sid in week.sections:  # every first-week section opens with its key points
        assert 3 <= len(hb.key_points[sid]) <= 5, sid
    assert {t.id for t in hb.tasks} >= {"leave", "travel", "reception", "seal", "gift", "report"}
    assert set(week.tasks) == {t.id for t in hb.tasks}
    for task in hb.tasks:  # a step that rests on silence says so; every task has at least one rule-backed step
        assert any(not s.silent for s in task.steps), task.id
    assert any(s.silent for t in hb.tasks for s in t.steps)  # office hours, a form the text does not name
    assert any(s.calculator and s.calculator.input for t in hb.tasks for s in t.steps)


def test_every_section_of_the_shipped_regulation_has_key_points():
    """Every section, the regulation's and any an amendment adds, opens with three to five bullets; so a new section
    cannot be left without them. The rule is this test on the shipped data, not a loader error: a data copy that
    adds a section (a fixture, an amendment being drafted) still loads and builds, and the shipped data is
    complete before it is merged. Dates do not exempt a section: one whose clauses take effect later is in the
    data from the day it is added, and its bullets are written in the same change, ready for that day."""
    hb = load()
    missing = [s.id for s in hb.sections if s.id not in hb.key_points]
    assert missing == [], f"sections without key points in data/key-points.yaml: {missing}"
    assert all(3 <= len(hb.key_points[s.id]) <= 5 for s in hb.sections)


def test_the_fixture_files_load(data_dir):
    hb = load(data_dir)
    assert list(hb.key_points) == ["labour.attendance"]
    assert [s.documents[0].id for s in hb.tasks[0].steps if s.documents] == ["travel-approval-form"]
    assert hb.first_week.tasks == ["travel"]


def test_figures_are_found_outside_value_references():
    assert figures("上班超过 {value:attendance.late.minutes} 分钟") == []
    assert figures("上班超过 15 分钟,１小时") == ["15", "１"]
    assert figures("病假三天以上;第一步;一律;一事一审批") == ["三"]
    assert figures("Sick leave of three days; step one; one of them; 0.5 days") == ["three", "0.5"]


# --------------------------------------------------------------------------- rejections, each with file and line

def test_a_key_point_citing_a_missing_clause(data_dir):
    text = swap(KEY, "cites: [labour.attendance.written-request]", "cites: [labour.attendance.nowhere]")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason == "cites unknown clause 'labour.attendance.nowhere'"
    assert err.location == "sections[0].points[1].cites[0]"
    assert err.line == line_of(text, "labour.attendance.nowhere")


def test_a_value_of_a_cited_clause_written_as_a_literal(data_dir):
    text = swap(KEY, "上班超过 {value:attendance.late.minutes} 分钟", "上班超过 15 分钟")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason == "the figure '15' is a value of a cited clause: write it as {value:attendance.late.minutes}"
    assert err.location == "sections[0].points[0].zh"
    assert err.line == line_of(text, "上班超过 15 分钟")


def test_a_chinese_numeral_that_is_a_value_is_refused(data_dir):
    text = swap(KEY, "病假 {value:leave.sick.certificate.min_days} 天以上", "病假三天以上")
    err = error_for(data_dir, "key-points.yaml", text)
    assert "the figure '三' is a value of a cited clause: write it as {value:leave.sick.certificate.min_days}" == err.reason


def test_an_english_number_word_that_is_a_value_is_refused(data_dir):
    text = swap(KEY, "Sick leave of {value:leave.sick.certificate.min_days} days", "Sick leave of three days")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.location == "sections[0].points[2].en"
    assert "write it as {value:leave.sick.certificate.min_days}" in err.reason


def test_a_value_reference_is_written_in_its_style():
    from handbook.pages.training import fill

    hb = load()
    assert fill(hb, "每月召开{value:meetings.party_group.per_month|cn}次", "zh") == "每月召开一次"
    assert fill(hb, "{value:meetings.party_group.per_month|word} meeting a month", "en") == "one meeting a month"
    assert fill(hb, "{value:meetings.party_group.quorum} or more", "en") == "1/2 or more"  # a fraction stays as it is
    # half, as the text writes it: 半天 / half a day (and 一天 / one day if an amendment made it a whole day)
    assert fill(hb, "按旷工{value:attendance.half_day_absence.counted_days|cn}天处理", "zh") == "按旷工半天处理"
    assert fill(hb, "{value:attendance.half_day_absence.counted_days|word} day's absence", "en") == "half a day's absence"
    assert fill(hb, "{value:attendance.half_day_absence.counted_days} 天", "zh") == "0.5 天"


def test_an_unknown_figure_style_is_refused(data_dir):
    text = swap(KEY, "上班超过 {value:attendance.late.minutes} 分钟", "上班超过 {value:attendance.late.minutes|roman} 分钟")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason == "unknown figure style 'roman'; styles are cn, liang, word"


def test_half_is_a_figure():
    assert figures("按旷工半天处理;半小时;半个月;半数以上") == ["半", "半", "半", "半"]
    assert figures("公杂费减半;一半;半途") == []  # no unit after 半: not a figure
    assert figures("half a day's absence; a half-day; half an hour; half or more; half of them") == ["half"] * 5
    assert figures("the allowance is halved; on the other half") == []


def test_half_a_day_written_out_where_it_is_a_value_is_refused(data_dir):
    text = swap(KEY, "上班超过 {value:attendance.late.minutes} 分钟视为迟到。", "上班超过一小时按旷工半天处理。")
    text = swap(text, "{value:attendance.late.minutes} minutes counts as late arrival.", "{value:attendance.late.minutes} minutes counts as late.")
    err = error_for(data_dir, "key-points.yaml", text.replace("超过一小时", "超过 {value:attendance.half_day_absence.hours} 小时"))
    assert err.reason == "the figure '半' is a value of a cited clause: write it as {value:attendance.half_day_absence.counted_days}"
    assert err.location == "sections[0].points[0].zh"
    en = swap(KEY, "counts as late arrival.", "counts as late arrival; an hour late is half a day's absence.")
    err = error_for(data_dir, "key-points.yaml", en)
    assert err.location == "sections[0].points[0].en"
    assert "write it as {value:attendance.half_day_absence.counted_days}" in err.reason


def test_half_that_is_no_value_of_the_cited_clauses_is_refused_unless_allowed(data_dir):
    text = swap(KEY, "请假须书面申请。", "请假须提前半天书面申请。")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason.startswith("the figure '半' is not a value of the clauses cited (labour.attendance.written-request)")
    (data_dir / "key-points.yaml").write_text(KEY, encoding="utf-8")
    step = swap(TASKS, "出差须填写《出差审批单》。", "出差须提前半天填写《出差审批单》。")
    err = error_for(data_dir, "tasks.yaml", step)
    assert err.location == "tasks[0].steps[0].zh"
    assert err.reason.startswith("the figure '半' is not a value of the clauses cited (finance.travel.approval)")
    allowed = text.replace("        cites: [labour.attendance.written-request]\n",
                           "        cites: [labour.attendance.written-request]\n"
                           "        figures: [{text: 半, reason: quoted from what a reader asks and not a value}]\n")
    (data_dir / "key-points.yaml").write_text(allowed, encoding="utf-8")
    (data_dir / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    assert load(data_dir).key_points["labour.attendance"][1].figures[0].text == "半"


def test_a_figure_that_is_no_value_of_the_cited_clauses(data_dir):
    text = swap(KEY, "请假须书面申请。", "请假须提前 3 天书面申请。")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason.startswith("the figure '3' is not a value of the clauses cited (labour.attendance.written-request)")
    assert err.line == line_of(text, "提前 3 天")


def test_an_allowed_figure_needs_its_reason_and_then_passes(data_dir):
    text = swap(KEY, "        cites: [labour.attendance.written-request]\n",
                "        cites: [labour.attendance.written-request]\n"
                "        figures: [{text: '2020', reason: the year the regulation was published}]\n")
    text = swap(text, "请假须书面申请。", "请假须书面申请(2020 年起)。")
    (data_dir / "key-points.yaml").write_text(text, encoding="utf-8")
    assert load(data_dir).key_points["labour.attendance"][1].figures[0].text == "2020"
    err = error_for(data_dir, "key-points.yaml", swap(text, "reason: the year the regulation was published", "reason: year"))
    assert "at least 10 characters" in err.reason


def test_a_value_reference_to_a_clause_not_cited(data_dir):
    text = swap(KEY, "请假须书面申请。", "请假须书面申请,{value:travel.meal.in_province}。")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason == ("value 'travel.meal.in_province' is stated by clause 'finance.travel.meal-allowance', "
                          "which this text does not cite")


def test_an_unknown_value_reference(data_dir):
    text = swap(KEY, "{value:attendance.late.minutes} 分钟视为", "{value:attendance.late.hours} 分钟视为")
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.reason == "placeholder names unknown value 'attendance.late.hours'"


def test_too_few_key_points(data_dir):
    text = KEY.split("      - zh: 请假须书面申请。")[0]
    err = error_for(data_dir, "key-points.yaml", text)
    assert err.location == "sections[0].points"
    assert "at least 3 items" in err.reason


def test_key_points_for_an_unknown_section(data_dir):
    err = error_for(data_dir, "key-points.yaml", swap(KEY, "section: labour.attendance", "section: labour.leave"))
    assert err.reason == "unknown section 'labour.leave'"
    assert err.line == 2


def test_a_task_step_citing_a_missing_clause(data_dir):
    text = swap(TASKS, "cites: [finance.travel.reimbursement]", "cites: [finance.travel.refunds]")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.reason == "cites unknown clause 'finance.travel.refunds'"
    assert err.location == "tasks[0].steps[1].cites[0]"
    assert err.line == line_of(text, "finance.travel.refunds")


def test_a_task_step_with_a_literal_value(data_dir):
    text = swap(TASKS, "当天来回按 {value:travel.reimbursement.same_day_trip_days} 天计算。", "当天来回按 1 天计算。")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.reason == "the figure '1' is a value of a cited clause: write it as {value:travel.reimbursement.same_day_trip_days}"
    assert err.line == line_of(text, "按 1 天")


def test_a_task_step_with_an_invented_figure(data_dir):
    text = swap(TASKS, "Every trip needs a travel approval form.", "Hand in the travel approval form 2 days before.")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.reason.startswith("the figure '2' is not a value of the clauses cited (finance.travel.approval)")
    assert err.location == "tasks[0].steps[0].en"


def test_a_step_title_is_checked_like_its_text(data_dir):
    text = swap(TASKS, "title: {zh: 报销, en: Claim}", "title: {zh: 报销, en: Claim within 45 days}")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.location == "tasks[0].steps[1].title.en"
    assert err.reason.startswith("the figure '45' is not a value of the clauses cited (finance.travel.reimbursement)")


def test_an_approver_is_checked_like_a_step(data_dir):
    text = swap(TASKS, "        documents: [{clause: finance.travel.approval, id: travel-approval-form}]\n",
                "        documents: [{clause: finance.travel.approval, id: travel-approval-form}]\n"
                "        approver: {zh: 局长, en: the Director, cites: [finance.travel.nowhere]}\n")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.location == "tasks[0].steps[0].approver.cites[0]"


def test_a_document_that_is_not_an_attachment_of_its_clause(data_dir):
    text = swap(TASKS, "id: travel-approval-form}", "id: lodging-invoices}")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.reason == "clause 'finance.travel.approval' has no attachment 'lodging-invoices' (it has: travel-approval-form)"
    assert err.location == "tasks[0].steps[0].documents[0].id"


def test_a_calculator_input_the_engine_rejects(data_dir):
    text = swap(TASKS, "days: 2}]", "days: 0}]")
    err = error_for(data_dir, "tasks.yaml", text)
    assert err.location == "tasks[0].steps[1].calculator.input"
    assert err.reason.startswith("the 'travel' calculator rejects the input: ")


def test_an_unknown_calculator(data_dir):
    err = error_for(data_dir, "tasks.yaml", swap(TASKS, "name: travel", "name: taxi"))
    assert err.reason.startswith("unknown calculator 'taxi'")


def test_a_first_week_section_or_task_that_does_not_exist(data_dir):
    err = error_for(data_dir, "first-week.yaml", swap(WEEK, "finance.travel]", "finance.trips]"))
    assert err.reason == "unknown section 'finance.trips'"
    assert err.location == "sections[1]"
    err = error_for(data_dir, "first-week.yaml", swap(WEEK, "tasks: [travel]", "tasks: [travel, gifts]"))
    assert err.reason == "unknown task 'gifts'; tasks are travel"


def test_an_id_twice_is_named_with_where_it_first_stands(data_dir):
    """One check (yamlfile.unique_ids) for every list of ids: a task, a key-points section, a first-week section."""
    task = TASKS.split("\n  - id: travel\n", 1)[1]
    text = TASKS + "  - id: travel\n" + task
    [err] = problems_for(data_dir, "tasks.yaml", text)
    assert err.reason == f"duplicate task id 'travel' (first at tasks.yaml:{line_of(text, '- id: travel')})"
    assert err.location == "tasks[1].id" and err.line == len(TASKS.splitlines()) + 1
    (data_dir / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    text = swap(WEEK, "finance.travel]", "finance.travel, labour.attendance]")
    [err] = problems_for(data_dir, "first-week.yaml", text)
    assert err.reason == f"duplicate section 'labour.attendance' (first at first-week.yaml:{line_of(text, 'sections:')})"
    assert err.location == "sections[2]"


def test_the_readme_example_is_the_fixture_loaded_above():
    assert TASKS in (DATA / "README.md").read_text(encoding="utf-8")
