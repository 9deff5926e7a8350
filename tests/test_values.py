import datetime as dt

import pytest

from tui.model import values as v


@pytest.mark.parametrize("text,expected", [("01-12-2024", dt.date(2024, 12, 1)), ("1-2-2024", dt.date(2024, 2, 1)), ("2024-12-01", dt.date(2024, 12, 1)), ("1/2/2024", dt.date(2024, 2, 1)), ("", None)])
def test_parse_date(text, expected):
    assert v.parse_date(text) == expected


@pytest.mark.parametrize("text,msg", [("31-02-2024", "bestaat niet"), ("december", "01-12-2024"), ("2024/12/01", "01-12-2024")])
def test_parse_date_errors(text, msg):
    with pytest.raises(ValueError, match=msg):
        v.parse_date(text)


def test_parse_datetime_local_time_gets_the_dutch_offset_of_that_day():
    winter = v.parse_datetime("02-01-2024 09:30")
    summer = v.parse_datetime("02-07-2024 09:30")
    assert winter.utcoffset() == dt.timedelta(hours=1)
    assert summer.utcoffset() == dt.timedelta(hours=2)
    assert v.parse_datetime("02-07-2024 09:30 -05:00").utcoffset() == dt.timedelta(hours=-5)
    assert v.parse_datetime("2024-07-02T09:30Z").utcoffset() == dt.timedelta(0)
    with pytest.raises(ValueError):
        v.parse_datetime("02-07-2024 25:00")


@pytest.mark.parametrize("text,whole,expected", [("10", False, 10), ("10,5", False, 10.5), ("1.250", False, 1250), ("1.250,5", False, 1250.5), ("-3", True, -3), ("", False, None), ("2.5", False, 2.5)])
def test_parse_number(text, whole, expected):
    assert v.parse_number(text, whole) == expected


@pytest.mark.parametrize("text,whole", [("tien", False), ("10,5", True), ("nan", False), ("inf", False)])
def test_parse_number_errors(text, whole):
    with pytest.raises(ValueError):
        v.parse_number(text, whole)


def test_format_round_trips():
    d = dt.date(2024, 12, 1)
    assert v.parse_date(v.format_value("datum", d)) == d
    t = v.parse_datetime("02-07-2024 09:30 -05:00")
    assert v.parse_datetime(v.format_value("tijdstip", t)) == t
    assert v.format_value("tijdstip", v.parse_datetime("02-07-2024 09:30")) == "02-07-2024 09:30"
    assert v.format_value("getal", 10.5) == "10,5"
    assert v.parse_list(v.format_value("lijst", ["a", "b c"])) == ["a", "b c"]


def test_slug():
    assert v.slug("Ticketverkoop & CRM") == "ticketverkoop-crm"
    assert v.slug("Café Één", {"cafe-een"}) == "cafe-een-2"
    assert v.slug("!!!") == "item"


def test_long_slugs_are_cut_at_a_word_boundary():
    assert v.slug("Verkoop en administratie van toegangskaarten (Theater De Proef)") == "verkoop-en-administratie-van"
