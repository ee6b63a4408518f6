"""Reading the State Council's yearly holiday notice (国务院办公厅关于××××年部分节假日安排的
通知) as pasted by the operator: each numbered item names a holiday, the days off
("1月1日（周五）至3日（周日）放假调休，共3天") and the make-up working days
("1月4日（周日）上班"). Every statement the notice makes about a date is checked — the
weekday in brackets, the "共N天" count — so a notice of another year, a typo or a
half-pasted text is refused with the item and the rule instead of entering a wrong calendar.

Pure: no database. :func:`xinyong.core.services.calendar_notice_import` stores the result."""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext

from xinyong.core.errors import FieldError, ValidationFailed

MAX_CHARS = 20000  # a notice is about 1,000 characters; a longer paste is not one
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ITEM = re.compile(r"[一二三四五六七八九十]+、\s*([^:\n。,]{1,30}?)\s*:")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日\s*(?:\(([^)]*)\))?")
_TITLE = re.compile(r"国务院办公厅关于\s*(\d{4})\s*年部分节假日安排的通知")
_NUMBER = re.compile(r"国办发明电\s*〔\s*\d{4}\s*〕\s*\d+\s*号")


@dataclass(frozen=True)
class NoticeDay:
    day: datetime.date
    is_workday: bool  # True: a make-up working day (调休上班); False: a day off
    name: str  # 春节, 春节调休上班


@dataclass
class Notice:
    year: int
    title: str
    number: str = ""  # 国办发明电〔2025〕7号, when the pasted text carries it
    days: list[NoticeDay] = field(default_factory=list)

    @property
    def basis(self) -> str:
        """What the calendar rows cite as their basis."""
        return f"《{self.title}》{f'（{self.number}）' if self.number else ''}"[:200]

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if not d.is_workday]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.is_workday]


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("text", "notice.format", message)])


def _normalise(text: str) -> str:
    # NFKC turns the full-width （）：， of the official text into ( ) : , — copies of the
    # notice on news sites use either.
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u3000", " ")


def _dates(sentence: str, *, year: int, item: str) -> list[datetime.date]:
    """The dates a sentence names, in order; a date without its month takes the month of
    the date before it ("2月15日……至23日"). The weekday in brackets must be the date's."""
    found = []
    month = None
    for m in _DATE.finditer(sentence):
        y = int(m.group(1)) if m.group(1) else year
        month = int(m.group(2)) if m.group(2) else month
        if month is None:
            raise _fail(gettext("%(item)s：日期“%(text)s”没有月份") % {"item": item, "text": m[0]})
        try:
            day = datetime.date(y, month, int(m.group(3)))
        except ValueError:
            raise _fail(
                gettext("%(item)s：没有这一天：%(text)s") % {"item": item, "text": m[0]}
            ) from None
        weekday = re.search(r"(?:周|星期)([一二三四五六日天])", m.group(4) or "")
        if weekday and WEEKDAYS[weekday.group(1)] != day.weekday():
            raise _fail(
                gettext("%(item)s：%(day)s 不是%(weekday)s，请核对通知的年份和日期")
                % {"item": item, "day": day.isoformat(), "weekday": f"周{weekday.group(1)}"}
            )
        found.append(day)
    return found


def _item(name: str, body: str, *, year: int) -> list[NoticeDay]:
    days: list[NoticeDay] = []
    off = False
    for sentence in filter(None, (s.strip() for s in re.split(r"[。;]", body))):
        if "放假" in sentence:
            head = sentence.split("放假", 1)[0]
            dates = _dates(head, year=year, item=name)
            if not dates or len(dates) > 2:
                raise _fail(
                    gettext("%(item)s：放假日期应写作“1月1日至3日”或“1月1日”") % {"item": name}
                )
            first, last = dates[0], dates[-1]
            if last < first or (last - first).days > 30:
                raise _fail(gettext("%(item)s：放假的起止日期不对") % {"item": name})
            span = [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
            total = re.search(r"共\s*(\d+)\s*天", sentence) or re.search(
                r"放假\s*(\d+)\s*天", sentence
            )
            if total and int(total.group(1)) != len(span):
                raise _fail(
                    gettext(
                        "%(item)s：%(first)s 至 %(last)s 是 %(n)d 天，与通知所写“共%(said)s天”不符"
                    )
                    % {"item": name, "first": first, "last": last, "n": len(span),
                       "said": total.group(1)}
                )  # fmt: skip
            days += [NoticeDay(d, False, name) for d in span]
            off = True
        elif "上班" in sentence:
            dates = _dates(sentence.split("上班", 1)[0], year=year, item=name)
            if not dates:
                raise _fail(gettext("%(item)s：“上班”之前没有日期") % {"item": name})
            label = f"{name}调休上班"  # stored, as the notice says it
            days += [NoticeDay(d, True, label[:64]) for d in dates]
    if not off:
        raise _fail(gettext("%(item)s：没有找到放假日期") % {"item": name})
    return days


def notice_parse(text: str, *, year: int | None = None) -> Notice:
    """The holidays and make-up working days of a pasted notice, or ValidationFailed saying
    which item is wrong and why. ``year``: when the pasted text lacks the title."""
    text = _normalise(text or "")
    if len(text) > MAX_CHARS:
        raise _fail(gettext("文本过长：请只粘贴通知正文（不超过%(n)d字）") % {"n": MAX_CHARS})
    title = _TITLE.search(text)
    if title:
        year = int(title.group(1))
    if year is None:
        raise _fail(gettext("没有找到通知标题（国务院办公厅关于××××年部分节假日安排的通知）"))
    if not 2000 <= year <= 2100:
        raise _fail(gettext("年份应在2000至2100之间"))
    notice = Notice(
        year=year,
        title=f"国务院办公厅关于{year}年部分节假日安排的通知",  # stored: the document's own title
    )
    number = _NUMBER.search(text)
    if number:
        notice.number = re.sub(r"\s", "", number.group(0))
    items = list(_ITEM.finditer(text))
    for i, m in enumerate(items):
        following = items[i + 1] if i + 1 < len(items) else None
        # An item runs to the next one, or to the end of its line (the closing paragraph
        # follows the last item).
        body = text[m.end() : following.start() if following else len(text)]
        name = re.sub(r"\s", "", m.group(1))[:30]
        notice.days += _item(name, body.strip().split("\n", 1)[0], year=year)
    if not notice.days:
        raise _fail(
            gettext(
                "没有识别到放假安排：应为通知正文，如“一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。”"
            )
        )
    seen: dict[datetime.date, NoticeDay] = {}
    for d in notice.days:
        if d.day in seen:
            raise _fail(
                gettext("%(day)s 在通知中出现两次（%(a)s、%(b)s）")
                % {"day": d.day, "a": seen[d.day].name, "b": d.name}
            )
        seen[d.day] = d
    if not any(d.day.year == year for d in notice.days):
        raise _fail(gettext("通知中的日期不在 %(year)d 年") % {"year": year})
    notice.days.sort(key=lambda d: d.day)
    return notice
