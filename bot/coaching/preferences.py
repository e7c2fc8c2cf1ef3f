"""The user's settings as /settings shows them: how each is read from text, shown and offered.

Pure: every preference parses typed text (or a quick-choice token) into the value stored
on the user, and formats a stored value back for display; both directions round-trip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from bot.coaching.dates import add_months, parse_target_date, parse_time_of_day
from bot.coaching.errors import InputError
from bot.coaching.followups import parse_cadence
from bot.coaching.zones import parse_timezone

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_WORDS = {
    **{name.lower(): index for index, name in enumerate(WEEKDAYS)},
    **{
        name: index
        for index, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_NONE_WORDS = frozenset({"none", "no", "off", "never", "nothing", "-"})


@dataclass(frozen=True)
class Preference:
    """One setting: its key in buttons, its field on the user, and how to read and show it."""

    key: str
    field: str
    label: str
    hint: str
    read: Callable[[str, date], object]
    show: Callable[[object], str]
    choices: tuple[tuple[str, str], ...] = ()

    def parse(self, text: str, today: date) -> object:
        """The value for typed text or a choice token; InputError with a hint otherwise."""
        return self.read(text.strip(), today)

    @property
    def tokens(self) -> frozenset[str]:
        """The tokens of the quick choices, the only values a choice button may carry."""
        return frozenset(token for _, token in self.choices)


def _count(low: int, high: int, what: str, example: int) -> Callable[[str, date], object]:
    def read(text: str, _today: date) -> object:
        if not text.isdecimal() or not low <= int(text) <= high:
            raise InputError(f"Send a number of {what} from {low} to {high}, like {example}.")
        return int(text)

    return read


def _time_or_token(text: str, _today: date) -> object:
    if len(text) == 4 and text.isdecimal():
        text = f"{text[:2]}:{text[2:]}"
    return parse_time_of_day(text)


def _optional_time(text: str, today: date) -> object:
    return None if text.lower() in _NONE_WORDS else _time_or_token(text, today)


def _goal_date(text: str, today: date) -> object:
    if text.lower() in _NONE_WORDS:
        return None
    if text.endswith("m") and text[:-1].isdecimal():
        return add_months(today, int(text[:-1]))
    return parse_target_date(text, today)


def _cadence(text: str, _today: date) -> object:
    return parse_cadence(text.replace("-", " "))


def _weekday(text: str, _today: date) -> object:
    day = _WEEKDAY_WORDS.get(text.lower().rstrip("."))
    if day is None and text.isdecimal() and int(text) < 7:
        day = int(text)
    if day is None:
        raise InputError("Send a weekday, like Sunday or Mon.")
    return day


_FEAR_PROMPT_LABELS = {"never": "never", "some": "some days", "daily": "every day"}


def _fear_prompts(text: str, _today: date) -> object:
    words = text.lower().replace("-", " ").split()
    for value, label in _FEAR_PROMPT_LABELS.items():
        if words in ([value], label.split()) or (value == "daily" and words == ["every", "day"]):
            return value
    raise InputError("Send never, some days or every day.")


def parse_rest_days(text: str, _today: date | None = None) -> tuple[int, ...]:
    """'sat sun', 'Saturday and Sunday', 'weekend' or 'none' -> weekday numbers."""
    words = text.lower().replace(",", " ").replace(" and ", " ").split()
    if not words or (len(words) == 1 and words[0] in _NONE_WORDS):
        return ()
    if words == ["weekend"]:
        return (5, 6)
    days = set()
    for word in words:
        day = _WEEKDAY_WORDS.get(word.rstrip("."))
        if day is None:
            raise InputError(
                "Send the days you rest, like “Sat Sun”, “Friday”, or “none” to rest never."
            )
        days.add(day)
    if len(days) == 7:
        raise InputError("Leave at least one active day, or use /pause for a break.")
    return tuple(sorted(days))


def _show_time(value: object) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else "off"


def _show_date(value: object) -> str:
    if not isinstance(value, date):
        return "no date"
    return f"{WEEKDAYS[value.weekday()]} {value.day} {value:%b %Y}"


def _show_cadence(value: object) -> str:
    days = [str(day) for day in value] if isinstance(value, Sequence) else []
    return ", ".join(days) + " days" if days else "none"


def show_rest_days(value: object) -> str:
    """Rest days in words: 'Sat, Sun' or 'none'."""
    days = list(value) if isinstance(value, Sequence) else []
    return ", ".join(WEEKDAYS[day] for day in sorted(days)) if days else "none"


PREFERENCES: tuple[Preference, ...] = (
    Preference(
        "tz",
        "timezone",
        "🕐 Time zone",
        "Send a city (Lisbon), a zone (Europe/Berlin) or an offset (UTC+2).",
        lambda text, _today: parse_timezone(text),
        str,
    ),
    Preference(
        "mt",
        "morning_time",
        "⏰ Morning message",
        "Send a time like 07:30.",
        _time_or_token,
        _show_time,
        (("07:00", "0700"), ("08:00", "0800"), ("09:00", "0900")),
    ),
    Preference(
        "et",
        "evening_time",
        "🌙 Evening check-in",
        "Send a time like 19:30, or “off”.",
        _optional_time,
        _show_time,
        (("Off", "off"), ("18:00", "1800"), ("19:00", "1900"), ("20:00", "2000")),
    ),
    Preference(
        "dq",
        "daily_quota",
        "📨 Reach-outs a day",
        "Send a number from 1 to 50.",
        _count(1, 50, "reach-outs a day", 3),
        str,
        tuple((str(count), str(count)) for count in (1, 2, 3, 5)),
    ),
    Preference(
        "wc",
        "weekly_chats",
        "☕ Coffee chats a week",
        "Send a number from 1 to 30.",
        _count(1, 30, "coffee chats a week", 2),
        str,
        tuple((str(count), str(count)) for count in (1, 2, 3, 4, 5)),
    ),
    Preference(
        "gc",
        "goal_count",
        "🎯 Goal (coffee chats)",
        "Send a number from 1 to 1000.",
        _count(1, 1000, "coffee chats as your goal", 50),
        str,
        tuple((str(count), str(count)) for count in (20, 30, 50, 100)),
    ),
    Preference(
        "gd",
        "goal_date",
        "📅 Goal date",
        "Send a date like 31 March, 2027-03-31 or “in 12 weeks”, or “none”.",
        _goal_date,
        _show_date,
        (("In 3 months", "3m"), ("In 6 months", "6m"), ("No date", "none")),
    ),
    Preference(
        "fu",
        "follow_up_days",
        "🔁 Follow-up cadence",
        "Send the days between follow-ups, like “3 7 14” (up to 5 numbers).",
        _cadence,
        _show_cadence,
        (("3, 7, 14", "3-7-14"), ("2, 5, 10", "2-5-10"), ("5, 10, 20", "5-10-20")),
    ),
    Preference(
        "rd",
        "rest_days",
        "🌿 Rest days",
        "Send the days you rest, like “Sat Sun”, or “none”.",
        parse_rest_days,
        show_rest_days,
    ),
    Preference(
        "fp",
        "fear_prompts",
        "🫣 Fear prompts in the morning",
        "How often should the morning message ask what you're afraid of?",
        _fear_prompts,
        lambda value: _FEAR_PROMPT_LABELS.get(str(value), str(value)),
        (("Never", "never"), ("Some days", "some"), ("Every day", "daily")),
    ),
    Preference(
        "rv",
        "review_day",
        "🗓 Weekly review day",
        "Send a weekday, like Sunday.",
        _weekday,
        lambda value: WEEKDAYS[value] if isinstance(value, int) else "?",
        tuple((name, str(index)) for index, name in enumerate(WEEKDAYS)),
    ),
    Preference(
        "rt",
        "review_time",
        "🕕 Weekly review time",
        "Send a time like 18:00.",
        _time_or_token,
        _show_time,
        (("17:00", "1700"), ("18:00", "1800"), ("19:00", "1900"), ("20:00", "2000")),
    ),
)

BY_KEY = {preference.key: preference for preference in PREFERENCES}
# Settings whose change moves a scheduled message.
SCHEDULE_FIELDS = frozenset(
    {"timezone", "morning_time", "evening_time", "review_day", "review_time"}
)
# Settings whose change moves the goal projection.
PLAN_FIELDS = frozenset({"daily_quota", "weekly_chats", "goal_count", "goal_date", "rest_days"})
