"""请假 — who approves a leave, and whether a hospital certificate is needed (labour.attendance).

Input::

    {"kind": "personal" | "sick" | "annual" | "home_visit" | "marriage" | "maternity",
     "days": n,                       # may be fractional: 0.5, 1.5
     "role": "staff" | "section_head" | "bureau_leader"}

``total`` is the number of leave days; ``decision`` says who agrees and who approves, and whether
a certificate from a hospital at city level or above is needed.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import DAYS, Choice, Form, Number
from .money import HALF, fmt
from .result import Result, guarded
from .rules import clause_of, value

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
PERSONAL = "labour.attendance.personal-leave"
SICK = "labour.attendance.sick-leave"
STATUTORY = "labour.attendance.statutory-leave"
WRITTEN = "labour.attendance.written-request"
MIN_DAYS = HALF  # an input bound: half a day is the smallest leave one asks for


FIELDS = Form(
    Choice(name="kind", label=("假别", "Kind of leave"), choices=KINDS),
    Number(name="days", label=("天数", "Days"), help=("可为半天,如 0.5、1.5", "halves allowed, such as 0.5 or 1.5"),
           lo=MIN_DAYS, hi=DAYS[1], unit=("天", "days"), step=HALF),
    Choice(name="role", label=("请假人", "Who is asking"), choices=ROLES),
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


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME, unit="days")
    kind, days, role = inp["kind"], inp["days"], inp["role"]
    kind_zh, kind_en = KINDS[kind]
    role_zh, role_en = ROLES[role]
    short_max = value("leave.personal.short.max_days")
    long_min = value("leave.personal.long.min_days")
    cert_min = value("leave.sick.certificate.min_days")

    if kind in ("personal", "sick"):
        clause = clause_of("leave.personal.short.max_days")
        r.line(f"{kind_zh}天数", f"Days of {kind_en}", days, clause if kind == "personal" else SICK)
        steps, long = chain(role, days)
        if role == "bureau_leader":
            basis_zh, basis_en = "局领导班子成员一律向局长请假", "members of the leadership team always ask the Director"
        elif days < long_min and long:
            basis_zh = f"超过 {fmt(short_max)} 天,按 {fmt(long_min)} 天以上(含 {fmt(long_min)} 天)的程序"
            basis_en = f"more than {fmt(short_max)} day(s): the procedure for {fmt(long_min)} days or more"
        elif long:
            basis_zh = f"{fmt(long_min)} 天以上(含 {fmt(long_min)} 天)"
            basis_en = f"{fmt(long_min)} days or more"
        else:
            basis_zh = f"{fmt(short_max)} 天以内(含 {fmt(short_max)} 天)"
            basis_en = f"up to {fmt(short_max)} day(s)"
        who_zh = ",再由".join(s["zh"] for s in steps)
        who_en = ", then ".join(s["en"] for s in steps)
        approval = {
            "approvers": steps,
            "procedure": "long" if long else "short",
            "zh": f"{role_zh}请{kind_zh} {fmt(days)} 天({basis_zh}):{who_zh}。",
            "en": f"{role_en[0].upper()}{role_en[1:]}, {kind_en} of {fmt(days)} day(s) ({basis_en}): {who_en}.",
            "clause": r.cite(clause),
        }
        if kind == "sick":
            approval["zh"] += "病假程序同事假。"
            approval["en"] += " Sick leave follows the personal-leave procedure."
        if short_max < days < long_min and role != "bureau_leader":
            r.note(f"原文对多于 {fmt(short_max)} 天、少于 {fmt(long_min)} 天(如 {fmt(days)} 天)的请假未作规定:"
                   f"“{fmt(short_max)} 天以内(含 {fmt(short_max)} 天)”的简易程序以 {fmt(short_max)} 天为限,"
                   "超过即按较长请假的程序办理。",
                   f"The text is silent on leave of more than {fmt(short_max)} and less than {fmt(long_min)} days (such as "
                   f"{fmt(days)}): the short procedure is limited to “up to {fmt(short_max)} day(s), inclusive”, so anything "
                   "longer follows the procedure for longer leave.", clause)
        if kind == "personal":
            r.note("鉴于实行了年休假,工作人员一般情况下不请事假;确有特殊情况的按本程序办理。",
                   "As annual leave is in place, staff do not normally take personal leave; it is for special "
                   "circumstances.", clause)
        if role == "staff":
            r.note("原文未单独提到局中层副职,本手册将其视为所在科室人员,按科室人员的程序办理。",
                   "The text does not mention deputy heads of middle-level units; the handbook treats them as staff of "
                   "their section.", clause)
        r.note("请假应以书面形式提出申请,经有关领导签署意见核准后再休假;特殊情况事后补办相关手续。",
               "Leave is requested in writing and taken only once the leader concerned has signed the approval; in "
               "special circumstances the formalities are completed afterwards.", WRITTEN)
        r.note("请、销假情况由科长(主任、秘书长)汇总报办公室备案。",
               "Section chiefs (directors, secretary-general) compile the leave taken and ended and file it with the "
               "General Office.", clause)
        needed = kind == "sick" and days >= cert_min
        certificate = {
            "required": needed,
            "zh": (f"病假 {fmt(cert_min)} 天(含)以上需出具市级以上医院的医疗证明:" + ("需要。" if needed else "不需要。"))
            if kind == "sick" else "事假不需要医疗证明。",
            "en": (f"Sick leave of {fmt(cert_min)} days or more needs a medical certificate from a hospital at city level "
                   "or above: " + ("needed." if needed else "not needed.")) if kind == "sick"
            else "Personal leave needs no medical certificate.",
            "clause": r.cite(SICK if kind == "sick" else clause),
        }
        if kind == "sick":
            r.note(f"“病假 {fmt(cert_min)} 天(含)以上”按请假天数计:不足 {fmt(cert_min)} 天(如 {fmt(cert_min - MIN_DAYS)} 天)不需要证明。"
                   "原文只写“班子成员、科室人员”请病假程序同事假,局中层正职也按其请事假的程序办理。",
                   f"The certificate threshold counts the days of leave: below {fmt(cert_min)} days (such as "
                   f"{fmt(cert_min - MIN_DAYS)}) none is needed. The text names only leadership team members and section "
                   "staff for the sick-leave procedure; heads of middle-level units follow their personal-leave procedure too.",
                   SICK)
    else:
        r.line(f"{kind_zh}天数", f"Days of {kind_en}", days, STATUTORY)
        approval = {
            "approvers": [],
            "procedure": "statutory",
            "zh": f"{kind_zh}按劳动、人事部门的有关规定执行,本手册未规定审批人。",
            "en": f"{kind_en[0].upper()}{kind_en[1:]} follows the rules of the labour and personnel departments; the "
                  "handbook names no approver.",
            "clause": r.cite(STATUTORY),
        }
        certificate = {"required": False, "zh": "本手册未规定医疗证明。", "en": "The handbook requires no certificate.",
                       "clause": r.cite(STATUTORY)}

    decision = {
        "approvers": approval["approvers"],
        "approval": approval,
        "certificate_required": certificate["required"],
        "certificate": certificate,
    }
    return r.build(inp, decision=decision)
