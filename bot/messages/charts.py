"""The progress chart: outreach next to replies and coffee chats, week by week.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no global backend or
rcParams), imported on first use so that the weekly numbers and the caption stay cheap.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.domain import QUOTA_KINDS, REPLY_KINDS, Interaction, Kind
from bot.coaching.text import plural

CAPTION_LIMIT = 1024  # Telegram's longest photo caption
CHART_WIDTH_PX = 1000
CHART_HEIGHT_PX = 600
_DPI = 100
DEFAULT_WEEKS = 10
MAX_WEEKS_SHOWN = 12
FIRST_WEEK_NOTE = "Your first week starts here"
CAPTION_LIMIT = 1024  # Telegram's longest photo caption
# Colour-blind safe: two blues for effort and answers, orange for the chats that count.
_COLOURS = {"outreach": "#9ecae1", "replies": "#3182bd", "chats": "#e6550d", "goal": "#333333"}
_BAR_WIDTH = 0.27
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class WeekNumbers:
    """One week (Monday to Sunday, local) in numbers.

    `outreach` counts every action toward the daily quota (new outreach and follow-ups),
    `replies` every reply (yes, no or later), `chats` the coffee chats held.
    """

    week_start: date
    outreach: int
    replies: int
    chats: int

    @property
    def empty(self) -> bool:
        """Whether nothing happened this week."""
        return self.outreach == 0 and self.replies == 0 and self.chats == 0


def week_start(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def weekly_numbers(
    interactions: Iterable[Interaction],
    tz: str,
    today: date,
    weeks: int = DEFAULT_WEEKS,
    *,
    since: date | None = None,
) -> list[WeekNumbers]:
    """The last `weeks` weeks up to the current one, oldest first, on local dates in `tz`
    (weeks start on Monday), and none before the week of `since` (the user's first day);
    weeks without activity are there with zeros.
    """
    if weeks < 1:
        raise ValueError(f"show at least one week, got {weeks}")
    zone = ZoneInfo(tz)
    current = week_start(today)
    if since is not None:
        weeks = max(1, min(weeks, (current - week_start(since)).days // 7 + 1))
    starts = [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts = {start: [0, 0, 0] for start in starts}
    for item in interactions:
        if item.kind in QUOTA_KINDS:
            column = 0
        elif item.kind in REPLY_KINDS:
            column = 1
        elif item.kind is Kind.COFFEE_CHAT:
            column = 2
        else:
            continue
        row = counts.get(week_start(item.at.astimezone(zone).date()))
        if row is not None:
            row[column] += 1
    return [WeekNumbers(start, *counts[start]) for start in starts]


def week_label(day: date) -> str:
    """A week as the chart and caption name it: '17 Nov'."""
    return f"{day.day} {_MONTHS[day.month]}"


def progress_chart(weeks: Sequence[WeekNumbers], weekly_goal: int) -> bytes:
    """A 1000×600 PNG of the last weeks (up to 12): grouped bars of outreach, replies and
    chats, with the weekly chat goal as a dashed line. No data gives empty weeks and a note.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    shown = list(weeks)[-MAX_WEEKS_SHOWN:]
    figure = Figure(figsize=(CHART_WIDTH_PX / _DPI, CHART_HEIGHT_PX / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))
    series = (
        ("Outreach", [week.outreach for week in shown], _COLOURS["outreach"], -_BAR_WIDTH),
        ("Replies", [week.replies for week in shown], _COLOURS["replies"], 0.0),
        ("Coffee chats", [week.chats for week in shown], _COLOURS["chats"], _BAR_WIDTH),
    )
    # The legend is built by hand, so it reads the same with bars or without any.
    legend: list[Patch | Line2D] = []
    for label, values, colour, offset in series:
        xs = [position + offset for position in positions]
        bars = axes.bar(xs, values, _BAR_WIDTH, color=colour)
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=11, padding=2)
        legend.append(Patch(color=colour, label=label))
    if weekly_goal > 0:
        goal_line = axes.axhline(
            weekly_goal,
            color=_COLOURS["goal"],
            linestyle="--",
            linewidth=2,
            label=f"Chat goal: {weekly_goal} a week",
        )
        legend.append(goal_line)

    tallest = max([weekly_goal, *(max(values, default=0) for _, values, _, _ in series)])
    # Headroom above the tallest bar keeps the legend clear of the bars.
    axes.set_ylim(0, max(5.0, tallest * 1.35 + 1))
    axes.set_xlim(-0.6, max(len(shown), 1) - 0.4)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(positions, [week_label(week.week_start) for week in shown], fontsize=13)
    axes.tick_params(axis="y", labelsize=13)
    axes.set_xlabel("Week starting", fontsize=14)
    axes.set_title("Your weeks: outreach, replies and coffee chats", fontsize=18, pad=12)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(handles=legend, loc="upper left", ncols=4, fontsize=12, frameon=False)

    if all(week.empty for week in shown):
        arrow = {"arrowstyle": "->", "color": _COLOURS["goal"], "linewidth": 1.5}
        last = len(shown) - 1
        axes.annotate(
            FIRST_WEEK_NOTE,
            xy=(max(last, 0), 0.1),
            # Above the goal line, ending over the current week, with an arrow down to it.
            xytext=(last + 0.35, 0.7) if shown else (0.5, 0.7),
            textcoords=("data", "axes fraction") if shown else "axes fraction",
            ha="right" if shown else "center",
            fontsize=16,
            color=_COLOURS["goal"],
            arrowprops=arrow if shown else None,
        )

    figure.tight_layout()
    # The layout is done: without an engine left on the figure, saving it draws it once,
    # not once more beforehand to lay it out again (the picture is the same).
    figure.set_layout_engine(None)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def chart_caption(weeks: Sequence[WeekNumbers], weekly_goal: int) -> str:
    """The chart in words, for people who can't see the image (numbers and dates only)."""
    shown = list(weeks)[-MAX_WEEKS_SHOWN:]
    count = len(shown)
    span = "this week" if count <= 1 else f"in the last {count} weeks"
    goal = f"your goal of {plural(weekly_goal, 'coffee chat')} a week"
    if all(week.empty for week in shown):
        return (
            f"Nothing logged {span} yet. Your bars start with your first week; "
            f"the dashed line marks {goal}."
        )
    outreach = sum(week.outreach for week in shown)
    replies = sum(week.replies for week in shown)
    chats = sum(week.chats for week in shown)
    replied = plural(replies, "reply", "replies")
    totals = (
        f"{span[:1].upper()}{span[1:]}: {outreach} outreach, {replied} "
        f"and {plural(chats, 'coffee chat')}."
    )
    # The current week counts once its goal is met; until then it is not over yet.
    judged = [*shown[:-1], *(week for week in shown[-1:] if week.chats >= weekly_goal)]
    if weekly_goal > 0 and judged:
        met = sum(1 for week in judged if week.chats >= weekly_goal)
        totals += f" You met {goal} in {met} of {plural(len(judged), 'week')}."
    by_week = "; ".join(
        f"{week_label(week.week_start)}: {week.outreach}, {week.replies}, {week.chats}"
        for week in shown
    )
    return f"{totals}\nWeek by week (outreach, replies, chats): {by_week}."
