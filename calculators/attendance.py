"""考勤 — whether arriving late or leaving early counts as 迟到/早退 or half a day's 旷工
(labour.attendance.hours).

Input: the fields declared in ``FIELDS`` below (``python -m calculators attendance --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

``total`` is the days of absence without leave (旷工) the event counts as: half a day, the days
of a no-show, or 0; ``decision.classification`` is one of ``on_time``, ``late``, ``early``,
``half_day_absence``, ``absence``.
"""

from __future__ import annotations

from datetime import timedelta

from .fields import DAYS, DAY_HELP, Choice, Day, Form, Int, Number
from .money import HALF, ONE, fmt
from .result import Result, guarded
from .rules import clause_of, quote, value
from .wording import say

NAME = "attendance"
TITLE = {"zh": "迟到、早退与旷工", "en": "Late arrival, early departure and absence"}
SECTION = "labour.attendance"
DEFAULT_INPUT = {"event": "arrival", "minutes": 20}

EVENTS = {
    "arrival": ("上班", "arrival"),
    "departure": ("下班", "departure"),
    "no_show": ("不假不到岗、擅自离岗或超假不续假", "absent without leave, leaving the post without approval, or overstaying leave"),
}
CLASSES = {
    "on_time": ("不计迟到、早退", "not counted as late arrival or early departure"),
    "late": ("迟到", "late arrival"),
    "early": ("早退", "early departure"),
    "half_day_absence": ("旷工半天", "half a day's absence without leave"),
    "absence": ("旷工", "absence without leave"),
}
MINUTES_PER_DAY = int(timedelta(days=1) / timedelta(minutes=1))  # an input bound
HOURS = "labour.attendance.hours"


def thresholds() -> tuple[timedelta, timedelta]:
    """(beyond this: late/early, beyond this: half a day's absence), from the data."""
    late = timedelta(minutes=float(value("attendance.late.minutes")))
    absent = timedelta(hours=float(value("attendance.half_day_absence.hours")))
    return late, absent


def classify(event: str, minutes: int) -> str:
    late, absent = thresholds()
    m = timedelta(minutes=minutes)
    if m >= absent:  # the handbook reads 超过……1小时 as "by 1 hour or more" (see the clause's note)
        return "half_day_absence"
    if m >= late:  # and 超过……15分钟 as "by 15 minutes or more"
        return "late" if event == "arrival" else "early"
    return "on_time"


FIELDS = Form(
    Choice(name="event", label=("考勤情形", "What happened"), choices=EVENTS,
           help=("迟到、早退按分钟数判断;不假不到岗按旷工计", "lateness is judged by the minutes; not reporting for work counts as absence")),
    Int(name="minutes", label=("迟到或早退的分钟数", "Minutes late or early"), required=False, lo=0, hi=MINUTES_PER_DAY,
        unit=("分钟", "minutes"),
        help=("上班迟到或下班早退时填写;超过一定时长按旷工半天处理", "for a late arrival or an early departure; beyond a set length it is half a day's absence")),
    Int(name="workday_minutes", label=("当天工作时间", "Working hours that day"), required=False, lo=1, hi=MINUTES_PER_DAY,
        unit=("分钟", "minutes"), help=("按本局当天的作息时间,如 480;迟到或早退覆盖整个工作日的按旷工一天",
                                      "from the actual schedule, e.g. 480; lateness covering the whole working day is a day's absence")),
    Number(name="days", label=("未到岗天数", "Days away"), required=False, lo=HALF, hi=DAYS[1], unit=("天", "days"), step=HALF,
           help=("不假不到岗时填写,默认 1 天", "for a no-show; 1 day if not given")),
    Day(name="date", label=("日期", "Date"), help=DAY_HELP, required=False),
)


def _read(data) -> dict:
    inp = FIELDS.read(data)
    if inp["event"] == "no_show":
        for key in ("minutes", "workday_minutes"):
            if key in inp:
                raise FIELDS.error(key, *say(("只用于“{late}”和“{early}”", "applies only to “{late}” and “{early}”"),
                                             late=FIELDS.choice("event", "arrival"), early=FIELDS.choice("event", "departure")))
        inp.setdefault("days", ONE)
    else:
        if "days" in inp:
            raise FIELDS.error("days", *say(("只用于“{no_show}”", "applies only to “{no_show}”"),
                                            no_show=FIELDS.choice("event", "no_show")))
        if "minutes" not in inp:
            raise FIELDS.missing("minutes")
        if inp["minutes"] > inp.get("workday_minutes", MINUTES_PER_DAY):
            raise FIELDS.error("minutes", f"不能多于当天工作时间({inp['workday_minutes']} 分钟)",
                               f"cannot be more than that day's working hours ({inp['workday_minutes']} minutes)")
    return inp


# ---------------------------------------------------------------------------- the rules, one function each

NO_SHOW_WORDS = {
    "line": ("旷工天数", "Days of absence without leave"),
    "decision": ("{q}。", "{q}."),  # the regulation's own sentence (labour.attendance.hours's ``quotes``, rules.quote)
}


def no_show(r: Result, inp: dict) -> tuple[str, tuple[str, str]]:
    """Absent without leave: the days away count as absence."""
    r.line(*NO_SHOW_WORDS["line"], inp["days"], HOURS)
    return "absence", say(NO_SHOW_WORDS["decision"], q=quote(HOURS, "no-show"))


LATE_WORDS = {
    "arrival": ("上班超过 {minutes} 分钟:{cls}。", "{minutes} minute(s) after the start of work: {cls}."),
    "departure": ("下班提前 {minutes} 分钟:{cls}。", "{minutes} minute(s) before the end of work: {cls}."),
    "half_day": ("旷工天数(半天)", "Days of absence without leave (half a day)"),
    "minutes": ("{n} 分钟", "{n} minutes"),
    "hours": ("{n} 小时", "{n} hour(s)"),
    "exactly": ("恰好 {what}:原文“上班超过或下班提前{quoted}”中的“超过”严格说不含本数,但与“下班提前”并列,"
                "本手册读作“达到 {what}(含)”,故恰好 {what}计为{cls}。按严格读法则要多于 {what}才计。",
                "Exactly {what}: strictly, 超过 (“beyond”) excludes the number itself, but the text pairs it with leaving "
                "{what} early, and the handbook reads it as “{what} or more”, so exactly {what} counts as {cls}. Read "
                "strictly, it would take more than {what}."),
    "under": ("不足 {late} 分钟的不计迟到、早退,但仍应按时上下班。",
              "Under {late} minutes is not recorded as late arrival or early departure, though staff must still keep "
              "to working hours."),
    "longer": ("原文只规定了“{hours} 小时按旷工半天处理”这一档,未说明更长时间如何计算;本手册不作推算,"
               "{hours} 小时及以上、不足整个工作日的均计旷工半天。迟到或早退覆盖整个工作日的,等于当天不到岗,"
               "按“不假不到岗”论旷工一天:填写“{workday}”即按此计算。",
               "The text sets only the one step of half a day's absence for {hours} hour(s); it does not say how "
               "longer lateness is counted, and the handbook does not extrapolate: from {hours} hour(s) up to less "
               "than the whole working day counts as half a day. Lateness (or early leaving) that covers the whole "
               "working day is not reporting for work that day, absence without leave of one day: fill in “{workday}” "
               "and it is counted so."),
    "whole_day": ("旷工天数(迟到或早退覆盖整个工作日,按不假不到岗论)",
                  "Days of absence without leave (the lateness covers the whole working day: absent without leave)"),
    "whole_day_decision": ("{verb} {minutes} 分钟,覆盖当天 {workday} 分钟的全部工作时间:按不假不到岗论,旷工一天。",
                           "{minutes} minute(s) {verb}, the whole of that day's {workday} minutes of work: absent without "
                           "leave, one day's absence."),
    "after_start": ("上班超过", "after the start of work"),
    "before_end": ("下班提前", "before the end of work"),
}


def late_or_early(r: Result, inp: dict) -> tuple[str, tuple[str, str]]:
    """Arriving late or leaving early: late/early beyond the first threshold, half a day's absence beyond the second."""
    event, minutes = inp["event"], inp["minutes"]
    clause = clause_of("attendance.late.minutes")
    late_min, absent_h = value("attendance.late.minutes"), value("attendance.half_day_absence.hours")
    late, absent = thresholds()
    cls = classify(event, minutes)
    workday = inp.get("workday_minutes")
    if workday is not None and minutes >= workday:
        r.line(*LATE_WORDS["whole_day"], ONE, HOURS)
        r.note(*say(LATE_WORDS["longer"], hours=fmt(absent_h), workday=FIELDS.label("workday_minutes")), clause)
        verb = LATE_WORDS["after_start" if event == "arrival" else "before_end"]
        return "absence", say(LATE_WORDS["whole_day_decision"], verb=verb, minutes=minutes, workday=workday)
    if cls == "half_day_absence":
        r.line(*LATE_WORDS["half_day"], value("attendance.half_day_absence.counted_days"),
               clause_of("attendance.half_day_absence.counted_days"))
    m = timedelta(minutes=minutes)
    if m in (late, absent):
        what = say(LATE_WORDS["minutes"], n=fmt(late_min)) if m == late else say(LATE_WORDS["hours"], n=fmt(absent_h))
        r.note(*say(LATE_WORDS["exactly"], what=what, quoted=what[0].replace(" ", ""), cls=CLASSES[cls]), clause)
    elif cls == "on_time" and minutes > 0:
        r.note(*say(LATE_WORDS["under"], late=fmt(late_min)), clause)
    elif cls == "half_day_absence":
        r.note(*say(LATE_WORDS["longer"], hours=fmt(absent_h), workday=FIELDS.label("workday_minutes")), clause)
    return cls, say(LATE_WORDS[event], minutes=minutes, cls=CLASSES[cls])


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME, unit="days")
    cls, (zh, en) = no_show(r, inp) if inp["event"] == "no_show" else late_or_early(r, inp)
    decision = {"classification": cls, "label": {"zh": CLASSES[cls][0], "en": CLASSES[cls][1]},
                "zh": zh, "en": en, "clause": r.cite(HOURS)}
    return r.build(inp, decision=decision)
