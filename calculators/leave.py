"""请假 — who approves a leave, and whether a hospital certificate is needed (labour.attendance).

Input: the fields declared in ``FIELDS`` below (``python -m calculators leave --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

``total`` is the number of leave days; ``decision`` says who agrees and who approves (``approvers``, in order, and
the procedure in words, ``approval``), the written request
every kind of leave needs (``written_request``, with whether the text names who signs), and whether a
certificate from a hospital at city level or above is needed.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import DAYS, DAY_HELP, Choice, Day, Form, Number
from .money import HALF, fmt
from .result import Result, guarded
from .rules import clause_of, quote, value
from .wording import join, say

NAME = "leave"
TITLE = {"zh": "请假审批", "en": "Leave approval"}
SECTION = "labour.attendance"
DEFAULT_INPUT = {"kind": "personal", "days": 1, "role": "staff"}

KINDS = {
    "personal": ("事假", "personal leave"),
    "sick": ("病假", "sick leave"),
    "annual": ("年休假", "annual leave"),
    "home_visit": ("探亲假", "home leave (family visit)"),
    "marriage": ("婚假", "marriage leave"),
    "maternity": ("产假", "maternity leave"),
}
ROLES = {
    "staff": ("科(室、处、中心)人员", "staff of a section (office, division, centre)"),
    "section_head": ("局中层正职", "head of a middle-level unit"),
    "bureau_leader": ("局领导班子成员", "member of the Bureau's leadership team"),
}
APPROVERS = {
    "section_chief": ("科长(主任、秘书长)", "the section chief (director, secretary-general)"),
    "leader_in_charge": ("分管局(会)领导", "the Bureau (Sub-council) leader in charge"),
    "director": ("局长", "the Director"),
}
SICK = "labour.attendance.sick-leave"
STATUTORY = "labour.attendance.statutory-leave"
WRITTEN = "labour.attendance.written-request"
PERSONAL = "labour.attendance.personal-leave"
# The regulation's own sentences come from the data (each clause's ``quotes``, rules.quote): worded as on the day.
MIN_DAYS = HALF  # an input bound: half a day is the smallest leave one asks for


FIELDS = Form(
    Choice(name="kind", label=("请假类型(假别)", "Kind of leave"), choices=KINDS,
           help=("决定适用的规定:病假达到一定天数须附医院证明", "decides the rules that apply: sick leave of some length needs a hospital certificate")),
    Number(name="days", label=("请假天数", "Days of leave"),
           help=("可为半天,如 0.5、1.5;天数决定由谁批准", "halves allowed, such as 0.5 or 1.5; the days decide who must approve"),
           lo=MIN_DAYS, hi=DAYS[1], unit=("天", "days"), step=HALF),
    Choice(name="role", label=("请假人", "Who is asking"), choices=ROLES,
           help=("请假人的职务决定向谁请假、由谁批准", "the asker's post decides whom to ask and who approves")),
    Day(name="date", label=("请假首日", "First day of the leave"), help=DAY_HELP, required=False),
)


def _read(data) -> dict:
    return FIELDS.read(data)


def _step(role: str, action: str) -> dict:
    zh, en = APPROVERS[role]
    act_zh, act_en = {"agree": ("同意", "agrees"), "approve": ("批准", "approves"), "grant": ("准假", "grants the leave")}[action]
    return {"role": role, "action": action, "zh": f"{zh}{act_zh}", "en": f"{en} {act_en}"}


def chain(role: str, days: Decimal) -> tuple[list[dict], bool]:
    """(approval steps, whether the longer procedure applies) for personal (and sick) leave."""
    long = days > value("leave.personal.short.max_days")
    if role == "bureau_leader":
        return [_step("director", "grant")], long
    if role == "staff":
        if not long:
            return [_step("section_chief", "grant")], long
        return [_step("section_chief", "agree"), _step("leader_in_charge", "approve")], long
    if not long:
        return [_step("leader_in_charge", "grant")], long
    return [_step("leader_in_charge", "agree"), _step("director", "approve")], long


# ---------------------------------------------------------------------------- the rules, one function each

PROCEDURE_WORDS = {
    "gap": ("超过 {short} 天,按 {long} 天以上(含 {long} 天)的程序", "more than {short} day(s): the procedure for {long} days or more"),
    "long": ("{long} 天以上(含 {long} 天)", "{long} days or more"),
    "short": ("{short} 天以内(含 {short} 天)", "up to {short} day(s)"),
    "approval": ("{role}请{kind} {days} 天({basis}):{who}。", "{Role}, {kind} of {days} day(s) ({basis}): {who}."),
    "then": (",再由", ", then "),
    "quoted": ("{q}。", " {q}."),
    "silent": ("原文对多于 {short} 天、少于 {long} 天(如 {days} 天)的请假未作规定:"
               "“{short} 天以内(含 {short} 天)”的简易程序以 {short} 天为限,超过即按较长请假的程序办理。",
               "The text is silent on leave of more than {short} and less than {long} days (such as {days}): the short "
               "procedure is limited to “up to {short} day(s), inclusive”, so anything longer follows the procedure "
               "for longer leave."),
    "sentence": ("{q}。", "{q}."),
    "deputies": ("原文未单独提到局中层副职,本手册将其视为所在科室人员,按科室人员的程序办理。",
                 "The text does not mention deputy heads of middle-level units; the handbook treats them as staff of "
                 "their section."),
}


def procedure(r: Result, inp: dict) -> tuple[list[dict], dict]:
    """Personal (and sick) leave: (the approval steps, the procedure in words), by role and length."""
    kind, days, role = inp["kind"], inp["days"], inp["role"]
    short, long_min = value("leave.personal.short.max_days"), value("leave.personal.long.min_days")
    clause = clause_of("leave.personal.short.max_days")
    steps, long = chain(role, days)
    n = {"short": fmt(short), "long": fmt(long_min), "days": fmt(days)}
    if role == "bureau_leader":
        basis = quote(PERSONAL, "leadership")
    elif days < long_min and long:
        basis = say(PROCEDURE_WORDS["gap"], **n)
    else:
        basis = say(PROCEDURE_WORDS["long" if long else "short"], **n)
    then = PROCEDURE_WORDS["then"]
    who = (then[0].join(s["zh"] for s in steps), then[1].join(s["en"] for s in steps))
    role_zh, role_en = ROLES[role]
    zh, en = say(PROCEDURE_WORDS["approval"], role=role_zh, Role=role_en[0].upper() + role_en[1:], kind=KINDS[kind],
                 days=fmt(days), basis=basis, who=who)
    if kind == "sick":
        more = say(PROCEDURE_WORDS["quoted"], q=quote(SICK, "same-procedure"))
        zh, en = zh + more[0], en + more[1]
    if short < days < long_min and role != "bureau_leader":
        r.note(*say(PROCEDURE_WORDS["silent"], **n), clause)
    if kind == "personal":
        r.note(*say(PROCEDURE_WORDS["sentence"], q=quote(PERSONAL, "rarely")), clause)
    if role == "staff":
        r.note(*PROCEDURE_WORDS["deputies"], clause)
    r.note(*say(PROCEDURE_WORDS["sentence"], q=quote(PERSONAL, "filed")), clause)
    return steps, {"procedure": "long" if long else "short", "zh": zh, "en": en, "clause": r.cite(clause)}


CERTIFICATE_WORDS = {
    "sick": ("{q}:", "{q}: "),
    "needed": ("需要。", "needed."),
    "not_needed": ("不需要。", "not needed."),
    "personal": ("事假不需要医疗证明。", "Personal leave needs no medical certificate."),
    "note": ("“病假 {min} 天(含)以上”按请假天数计:不足 {min} 天(如 {below} 天)不需要证明。"
             "原文只写“班子成员、科室人员”请病假程序同事假,局中层正职也按其请事假的程序办理。",
             "The certificate threshold counts the days of leave: below {min} days (such as {below}) none is needed. "
             "The text names only leadership team members and section staff for the sick-leave procedure; heads of "
             "middle-level units follow their personal-leave procedure too."),
}


def certificate(r: Result, inp: dict) -> dict:
    """Whether sick leave needs a certificate from a hospital at city level or above."""
    kind, days = inp["kind"], inp["days"]
    cert_min = value("leave.sick.certificate.min_days")
    if kind != "sick":
        zh, en = CERTIFICATE_WORDS["personal"]
        return {"required": False, "zh": zh, "en": en, "clause": r.cite(clause_of("leave.personal.short.max_days"))}
    needed = days >= cert_min
    head = say(CERTIFICATE_WORDS["sick"], q=quote(SICK, "certificate"))
    tail = CERTIFICATE_WORDS["needed" if needed else "not_needed"]
    r.note(*say(CERTIFICATE_WORDS["note"], min=fmt(cert_min), below=fmt(cert_min - MIN_DAYS)), SICK)
    return {"required": needed, "zh": head[0] + tail[0], "en": head[1] + tail[1], "clause": r.cite(SICK)}


STATUTORY_WORDS = {
    "approval": ("{kind}:{q}。本手册未规定审批人。", "{Kind}: {q}. The handbook names no approver."),
    "certificate": ("本手册未规定医疗证明。", "The handbook requires no certificate."),
}


WRITTEN_WORDS = {
    "named": ("{q}。签署意见的领导:{who}。", "{q}. The leaders who sign: {who}."),
    "unnamed": ("{q}。原文未指明{kind}由哪位领导签署(第4条只规定“{statutory}”),请向办公室确认。",
                "{q}. The text does not name who signs for {kind} (item 4 says only: \u201c{statutory}\u201d): ask the "
                "General Office."),
    "reading": ("第5条书面申请的规定适用于所有假别。原文只对事假、病假指明审批人,其余假别未指明审批人。",
                "The written-request rule (item 5) applies to every kind of leave. The text names the approvers for "
                "personal and sick leave only; for annual, home, marriage and maternity leave it names none."),
}


def written_request(r: Result, inp: dict, approvers: list[dict]) -> dict:
    """The written request every kind of leave needs, signed by the approvers the text names (if it names any)."""
    if approvers:
        zh, en = say(WRITTEN_WORDS["named"], q=quote(WRITTEN, "written"),
                     who=join([APPROVERS[s["role"]] for s in approvers], ("、", " and ")))
    else:
        zh, en = say(WRITTEN_WORDS["unnamed"], q=quote(WRITTEN, "written"), kind=KINDS[inp["kind"]],
                     statutory=quote(STATUTORY, "statutory"))
    r.note(*WRITTEN_WORDS["reading"], WRITTEN)
    return {"required": True, "approvers_named": bool(approvers), "zh": zh, "en": en, "clause": r.cite(WRITTEN)}


def statutory(r: Result, inp: dict) -> tuple[list[dict], dict, dict]:
    """Annual, home, marriage and maternity leave: the labour and personnel departments' rules."""
    zh, en = KINDS[inp["kind"]]
    a_zh, a_en = say(STATUTORY_WORDS["approval"], kind=zh, Kind=en[0].upper() + en[1:], q=quote(STATUTORY, "statutory"))
    approval = {"procedure": "statutory", "zh": a_zh, "en": a_en, "clause": r.cite(STATUTORY)}
    c_zh, c_en = STATUTORY_WORDS["certificate"]
    return [], approval, {"required": False, "zh": c_zh, "en": c_en, "clause": r.cite(STATUTORY)}


LINE_WORDS = {"days": ("{kind}天数", "Days of {kind}")}


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME, unit="days")
    kind = inp["kind"]
    if kind in ("personal", "sick"):
        clause = clause_of("leave.personal.short.max_days") if kind == "personal" else SICK
        r.line(*say(LINE_WORDS["days"], kind=KINDS[kind]), inp["days"], clause)
        approvers, approval = procedure(r, inp)
        cert = certificate(r, inp)
    else:
        r.line(*say(LINE_WORDS["days"], kind=KINDS[kind]), inp["days"], STATUTORY)
        approvers, approval, cert = statutory(r, inp)
    decision = {"approvers": approvers, "approval": approval,
                "written_request": written_request(r, inp, approvers),
                "certificate_required": cert["required"], "certificate": cert}
    return r.build(inp, decision=decision, attach={"medical-certificate": cert["required"]})
