"""中心组学习考核 — the central group's study assessment (meetings.central-group-study).

Input::

    {"sessions_held": n, "sessions_attended": n, "books_assigned": n, "books_completed": n,
     "discussion": x, "article": bool, "published"?: n}

Out of 100: attendance and self-study pro rata, discussion and records as scored, the article;
plus a bonus, once, when an article has been published.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import Bool, Form, Int, Number, Rule
from .money import fmt
from .result import Result, guarded
from .rules import clause_of, value

NAME = "study"
TITLE = {"zh": "中心组学习考核", "en": "Central group study assessment"}
SECTION = "meetings.central-group-study"
DEFAULT_INPUT = {
    "sessions_held": 12,
    "sessions_attended": 11,
    "books_assigned": 6,
    "books_completed": 4,
    "discussion": 22,
    "article": True,
    "published": 0,
}

MAX_SESSIONS = 365
MAX_BOOKS = 1000
MAX_PUBLISHED = MAX_BOOKS

FIELDS = Form(
    Int(name="sessions_held", label=("集中学习次数", "Sessions held"), lo=1, hi=MAX_SESSIONS, unit=("次", "sessions")),
    Int(name="sessions_attended", label=("出席次数", "Sessions attended"), lo=0, hi=MAX_SESSIONS, unit=("次", "sessions")),
    Int(name="books_assigned", label=("应完成自学书目", "Reading items assigned"), lo=1, hi=MAX_BOOKS),
    Int(name="books_completed", label=("已完成自学书目", "Reading items completed"), lo=0, hi=MAX_BOOKS),
    Number(name="discussion", label=("讨论发言和学习记录得分", "Discussion and records score"), lo=0,
           hi=Rule("study.discussion.points"), unit=("分", "points")),
    Bool(name="article", label=("已完成调研报告或心得体会文章", "Research report or reflection article written")),
    Int(name="published", label=("公开发表文章篇数", "Articles published"), required=False, default=0, lo=0, hi=MAX_PUBLISHED,
        unit=("篇", "articles")),
)


def _read(data) -> dict:
    inp = FIELDS.read(data)
    for part, whole in (("sessions_attended", "sessions_held"), ("books_completed", "books_assigned")):
        if inp[part] > inp[whole]:
            label_zh, label_en = FIELDS.at(whole).labels[-1]
            raise FIELDS.error(part, f"{inp[part]} 不能多于{label_zh}({inp[whole]})",
                               f"{inp[part]} cannot be more than the {label_en.lower()} ({inp[whole]})")
    return inp


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME, unit="points")
    clause = clause_of("study.total.points")
    att, self_study = value("study.attendance.points"), value("study.self_study.points")
    disc, article, bonus = value("study.discussion.points"), value("study.article.points"), value("study.published.bonus")
    held, attended = inp["sessions_held"], inp["sessions_attended"]
    assigned, completed = inp["books_assigned"], inp["books_completed"]

    r.line(f"出勤情况:{fmt(att)} 分 × {attended}/{held} 次", f"Attendance: {fmt(att)} points × {attended}/{held} sessions",
           att * Decimal(attended) / Decimal(held), clause_of("study.attendance.points"))
    r.line(f"完成自学书目及全年内容:{fmt(self_study)} 分 × {completed}/{assigned} 项",
           f"Self-study reading list and the year's content: {fmt(self_study)} points × {completed}/{assigned}",
           self_study * Decimal(completed) / Decimal(assigned), clause_of("study.self_study.points"))
    r.line(f"讨论发言和学习记录(满分 {fmt(disc)} 分,按评定分数)",
           f"Discussion and study records (out of {fmt(disc)}, as scored)",
           inp["discussion"], clause_of("study.discussion.points"))
    r.line(f"调查研究或心得体会文章({fmt(article)} 分):{'已完成' if inp['article'] else '未完成'}",
           f"Research report or study reflection article ({fmt(article)} points): {'done' if inp['article'] else 'not done'}",
           article if inp["article"] else Decimal(0), clause_of("study.article.points"))
    if inp["published"]:
        r.line(f"公开发表文章奖励 {fmt(bonus)} 分", f"Bonus for a published article: {fmt(bonus)} points",
               bonus, clause_of("study.published.bonus"))

    total_points = value("study.total.points")
    r.note(f"出勤 {fmt(att)} 分和自学 {fmt(self_study)} 分按完成比例计分(出席次数/集中学习次数,完成书目/应完成书目),保留两位小数。"
           "原文未说明因公、因病请假并补学的场次是否算作出勤:本计算只按实际出席次数计;如考核时认可补学,请把补学场次计入 sessions_attended。",
           f"Attendance ({fmt(att)} points) and self-study ({fmt(self_study)} points) are scored pro rata (sessions attended / "
           "sessions held, items completed / items assigned), to two decimals. The text does not say whether a session "
           "missed with leave (on duty or ill) and made up counts as attended: only sessions attended are counted; if the "
           "assessment accepts made-up sessions, include them in sessions_attended.", clause)
    r.note(f"公开发表文章的奖励 {fmt(bonus)} 分在百分制之外另加,总分最高 {fmt(total_points + bonus)} 分;原文说“一篇”,"
           f"故发表多篇也只奖励一次(published 大于 0 即计)。",
           f"The bonus of {fmt(bonus)} points for a published article is added on top of the {fmt(total_points)}-point "
           f"scale, so the maximum is {fmt(total_points + bonus)}; the text speaks of one article, so it is counted once "
           "however many are published (any published above 0).", clause_of("study.published.bonus"))
    return r.build(inp, out_of=float(total_points))
