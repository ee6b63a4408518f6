"""The State Council notice read into holidays and make-up working days: the real 2025 and
2026 notices give exactly the calendar the shipped ``chinesecalendar`` package holds for
those years, and a notice that contradicts itself is refused naming the item."""

import datetime

import chinese_calendar
import pytest

from xinyong.core.errors import ValidationFailed
from xinyong.core.notice import notice_parse
from xinyong.core.tests.notices import NOTICE_2025, NOTICE_2026


def _shipped(year: int) -> tuple[set, set]:
    """Holidays on weekdays and working weekend days of ``year``, per chinesecalendar."""
    days = [datetime.date(year, 1, 1) + datetime.timedelta(n) for n in range(366)]
    days = [d for d in days if d.year == year]
    off = {d for d in days if d.weekday() < 5 and not chinese_calendar.is_workday(d)}
    on = {d for d in days if d.weekday() >= 5 and chinese_calendar.is_workday(d)}
    return off, on


@pytest.mark.parametrize(("text", "year"), [(NOTICE_2025, 2025), (NOTICE_2026, 2026)])
def test_the_real_notices_give_the_official_calendar(text, year):
    notice = notice_parse(text)
    assert notice.year == year
    off, on = _shipped(year)
    assert {d.day for d in notice.holidays if d.day.weekday() < 5} == off
    assert {d.day for d in notice.workdays} == on
    names = {d.day: d.name for d in notice.days}
    assert names[datetime.date(year, 1, 1)] == "元旦"
    assert all(not chinese_calendar.is_workday(d.day) for d in notice.holidays)


def test_the_2026_notice_in_detail_and_its_half_width_copy():
    notice = notice_parse(NOTICE_2026)
    assert len(notice.holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert [str(d.day) for d in notice.workdays] == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]  # fmt: skip
    assert notice.workdays[0].name == "元旦调休上班"
    assert notice.basis == "《国务院办公厅关于2026年部分节假日安排的通知》"
    assert notice_parse(NOTICE_2025).basis.endswith("（国办发明电〔2024〕12号）")
    # News sites print the same text with ( ) : , — and on one line.
    copy = NOTICE_2026.replace("（", "(").replace("）", ")").replace("：", ":").replace("\n", " ")
    assert notice_parse(copy).days == notice.days


def test_a_notice_for_2027_in_the_official_format():
    text = (
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。\n"
    )
    notice = notice_parse(text)
    assert [(str(d.day), d.is_workday) for d in notice.days] == [
        ("2027-01-01", False), ("2027-01-02", False), ("2027-01-03", False),
        ("2027-01-04", True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "通知标题"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n正文丢了", "没有识别到放假安排"),
        (NOTICE_2026.replace("2026年部分", "2027年部分"), "不是周四"),  # another year's title
        (NOTICE_2026.replace("共9天", "共8天"), "春节"),
        (NOTICE_2026.replace("2月30日", "2月30日").replace("23日（农历", "31日（农历"), "春节"),
        (NOTICE_2026.replace("5月9日（周六）上班", "5月1日（周五）上班"), "出现两次"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月4日上班。", "没有找到放假日期"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n" + "一、元旦：" * 5000, "文本过长"),
        ("国务院办公厅关于1999年部分节假日安排的通知\n一、元旦：1月1日放假。", "2000至2100"),
    ],
)
def test_a_wrong_notice_is_refused_naming_the_item(text, words):
    with pytest.raises(ValidationFailed) as e:
        notice_parse(text)
    assert words in e.value.errors[0].message, e.value.errors[0].message
    assert e.value.errors[0].field == "text"
