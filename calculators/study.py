"""中心组学习考核 — the theoretical study central group's study assessment (meetings.central-group-study).

Input: the fields declared in ``FIELDS`` below (``python -m calculators study --schema`` prints them as a
JSON Schema; each calculator page has a table of them).

Out of 100: attendance and self-study pro rata, discussion and records as scored, the article;
plus a bonus, once, when an article has been published.
"""

from __future__ import annotations

from decimal import Decimal

from .fields import DAY_HELP, Bool, Day, Form, Int, Number, Rule
from .money import fmt
from .result import Result, guarded
from .rules import applies, clause_of, reading, value
from .wording import say

NAME = "study"
TITLE = {"zh": "中心组学习考核", "en": "Theoretical study central group: study assessment"}
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
PUBLISHED = applies("meetings.central-group-study.assessment", "published-article")  # its editorial note (data/)
MAX_BOOKS = 1000
MAX_PUBLISHED = MAX_BOOKS

FIELDS = Form(
    Int(name="sessions_held", label=("中心组集中学习次数", "Group study sessions held"), lo=1, hi=MAX_SESSIONS, unit=("次", "sessions"),
        help=("考核期内组织的次数;出勤分按出席的比例计算", "in the period assessed; the attendance points are the share attended")),
    Int(name="sessions_attended", label=("本人出席次数", "Sessions you attended"), lo=0, hi=MAX_SESSIONS, unit=("次", "sessions"),
        help=("实际出席的次数;请假后补学的是否计入,以考核时的认定为准", "sessions actually attended; whether made-up sessions count is for the assessors")),
    Int(name="books_assigned", label=("应完成的自学书目(项)", "Reading items assigned"), lo=1, hi=MAX_BOOKS,
        help=("规定自学的书目和内容项数;自学分按完成的比例计算", "the items on the set reading list; the self-study points are the share completed")),
    Int(name="books_completed", label=("已完成的自学书目(项)", "Reading items completed"), lo=0, hi=MAX_BOOKS,
        help=("已读完的项数,不能多于应完成的项数", "the items finished, no more than those assigned")),
    Number(name="discussion", label=("讨论发言和学习记录得分", "Discussion and records score"), lo=0,
           hi=Rule("study.discussion.points"), unit=("分", "points"),
           help=("由考核评定,照评定结果填写", "as the assessors scored it")),
    Bool(name="article", label=("已完成调研报告或心得体会文章", "Research report or reflection article written"),
         help=("完成即得该项分数", "a finished one earns this item's points")),
    Int(name="published", label=("公开发表文章篇数", "Articles published"), required=False, default=0, lo=0, hi=MAX_PUBLISHED,
        unit=("篇", "articles"), help=("公开发表文章另加奖励分,只奖励一次", "a published article adds bonus points, once")),
    Day(name="date", label=("考核日期", "Date of the assessment"), help=DAY_HELP, required=False),
)


def _read(data) -> dict:
    inp = FIELDS.read(data)
    for part, whole in (("sessions_attended", "sessions_held"), ("books_completed", "books_assigned")):
        if inp[part] > inp[whole]:
            label_zh, label_en = FIELDS.at(whole).labels[-1]
            raise FIELDS.error(part, f"{inp[part]} 不能多于{label_zh}({inp[whole]})",
                               f"{inp[part]} cannot be more than the {label_en.lower()} ({inp[whole]})")
    return inp


# ---------------------------------------------------------------------------- the rules, one function each

WORDS = {
    "attendance": ("出勤情况:{points} 分 × {attended}/{held} 次", "Attendance: {points} points × {attended}/{held} sessions"),
    "self_study": ("完成自学书目及全年内容:{points} 分 × {completed}/{assigned} 项",
                   "Self-study reading list and the year's content: {points} points × {completed}/{assigned}"),
    "discussion": ("讨论发言和学习记录(满分 {points} 分,按评定分数)", "Discussion and study records (out of {points}, as scored)"),
    "article": ("调查研究或心得体会文章({points} 分):{done}", "Research report or study reflection article ({points} points): {done}"),
    "done": ("已完成", "done"),
    "published_done": ("已完成(已公开发表)", "done, and published"),
    "not_done": ("未完成", "not done"),
    "bonus": ("公开发表文章奖励 {points} 分", "Bonus for a published article: {points} points"),
    "pro_rata": ("出勤 {att} 分和自学 {self_study} 分按完成比例计分(出席次数/集中学习次数,完成书目/应完成书目),保留两位小数。"
                 "原文未说明因公、因病请假并补学的场次是否算作出勤:本计算只按实际出席次数计;如考核时认可补学,请把补学场次计入“{attended_field}”。",
                 "Attendance ({att} points) and self-study ({self_study} points) are scored pro rata (sessions attended / "
                 "sessions held, items completed / items assigned), to two decimals. The text does not say whether a "
                 "session missed with leave (on duty or ill) and made up counts as attended: only sessions attended are "
                 "counted; if the assessment accepts made-up sessions, include them in “{attended_field}”."),
    "once": ("公开发表文章的奖励 {bonus} 分在百分制之外另加,总分最高 {top} 分;原文说“一篇”,故发表多篇也只奖励一次(“{published}”大于 0 即计)。",
             "The bonus of {bonus} points for a published article is added on top of the {total}-point scale, so the "
             "maximum is {top}; the text speaks of one article, so it is counted once however many are published "
             "(any number above 0 in “{published}”)."),
}


def pro_rata_lines(r: Result, inp: dict) -> None:
    """Attendance and self-study, each its points × the share done."""
    att, self_study = value("study.attendance.points"), value("study.self_study.points")
    held, attended = inp["sessions_held"], inp["sessions_attended"]
    assigned, completed = inp["books_assigned"], inp["books_completed"]
    r.line(*say(WORDS["attendance"], points=fmt(att), attended=attended, held=held),
           att * Decimal(attended) / Decimal(held), clause_of("study.attendance.points"))
    r.line(*say(WORDS["self_study"], points=fmt(self_study), completed=completed, assigned=assigned),
           self_study * Decimal(completed) / Decimal(assigned), clause_of("study.self_study.points"))
    r.note(*say(WORDS["pro_rata"], att=fmt(att), self_study=fmt(self_study), attended_field=FIELDS.label("sessions_attended")),
           clause_of("study.total.points"))


def discussion_line(r: Result, inp: dict) -> None:
    """Discussion and records: as scored, up to their points."""
    r.line(*say(WORDS["discussion"], points=fmt(value("study.discussion.points"))), inp["discussion"],
           clause_of("study.discussion.points"))


def article_lines(r: Result, inp: dict) -> None:
    """The article's points when it is done, and the bonus, once, when an article has been published."""
    points, bonus = value("study.article.points"), value("study.published.bonus")
    published = inp["published"] > 0
    done = inp["article"] or published  # a published article is a completed one
    state = "published_done" if published and not inp["article"] else "done" if done else "not_done"
    r.line(*say(WORDS["article"], points=fmt(points), done=WORDS[state]),
           points if done else Decimal(0), clause_of("study.article.points"))
    if published and not inp["article"]:
        r.note(*reading(*PUBLISHED),
               "meetings.central-group-study.assessment")  # the editorial note (data/)
    if inp["published"]:
        r.line(*say(WORDS["bonus"], points=fmt(bonus)), bonus, clause_of("study.published.bonus"))
    total = value("study.total.points")
    r.note(*say(WORDS["once"], bonus=fmt(bonus), total=fmt(total), top=fmt(total + bonus), published=FIELDS.label("published")),
           clause_of("study.published.bonus"))


@guarded
def compute(data) -> dict:
    inp = _read(data)
    r = Result(NAME, unit="points")
    pro_rata_lines(r, inp)
    discussion_line(r, inp)
    article_lines(r, inp)
    return r.build(inp, out_of=float(value("study.total.points")))
