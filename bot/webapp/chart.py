"""The progress chart as SVG for the Mini App: outreach next to replies and coffee chats, week
by week, with the weekly coffee-chat goal as a dashed line.

Drawn by hand (a few rectangles and lines), so the page needs no chart library; colours come
from CSS classes, so the chart follows the page's light or dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.messages.charts import WeekNumbers
from bot.messages.common import plural

WIDTH = 360
HEIGHT = 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 26, 6, 10, 30
_SERIES = (
    ("outreach", "reach-out", "reach-outs"),
    ("replies", "reply", "replies"),
    ("chats", "coffee chat", "coffee chats"),
)
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def progress_svg(weeks: Sequence[WeekNumbers], weekly_chats: int) -> str:
    """The chart of `weeks` (oldest first) as an SVG document."""
    if not weeks:
        raise ValueError("a chart needs at least one week")
    top = _axis_top(max(max(w.outreach, w.replies, w.chats) for w in weeks), weekly_chats)
    plot_width = WIDTH - _LEFT - _RIGHT
    plot_height = HEIGHT - _TOP - _BOTTOM
    group = plot_width / len(weeks)
    bar = min(group * 0.27, 14.0)

    def y(value: float) -> float:
        return _TOP + plot_height * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(_summary(weeks))}">'
    ]
    for value in (0, top // 2, top):
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="axis" x="{_LEFT - 4}" y="{y(value) + 3:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    label_every = 1 if len(weeks) <= 6 else 2
    for index, week in enumerate(weeks):
        left = _LEFT + index * group + (group - 3 * bar) / 2
        values = (week.outreach, week.replies, week.chats)
        for offset, ((name, one, many), value) in enumerate(zip(_SERIES, values, strict=True)):
            top_y = y(value)
            parts.append(
                f'<rect class="bar {name}" x="{left + offset * bar:.1f}" y="{top_y:.1f}" '
                f'width="{bar:.1f}" height="{y(0) - top_y:.1f}">'
                f"<title>{escape(_week_label(week))}: {plural(value, one, many)}</title></rect>"
            )
        if (len(weeks) - 1 - index) % label_every == 0:
            parts.append(
                f'<text class="axis" x="{_LEFT + (index + 0.5) * group:.1f}" '
                f'y="{HEIGHT - _BOTTOM + 14}" text-anchor="middle">'
                f"{escape(_week_label(week))}</text>"
            )
    if weekly_chats > 0:
        parts.append(
            f'<line class="goal" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" '
            f'y1="{y(weekly_chats):.1f}" y2="{y(weekly_chats):.1f}">'
            f"<title>Goal: {plural(weekly_chats, 'coffee chat')} a week</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _axis_top(highest: int, goal: int) -> int:
    """The value at the top of the axis: above every bar and the goal, even (so its half is a
    whole number), at least 2."""
    top = max(highest, goal, 2)
    return top + top % 2


def _week_label(week: WeekNumbers) -> str:
    return f"{week.week_start.day} {_MONTHS[week.week_start.month]}"


def _summary(weeks: Sequence[WeekNumbers]) -> str:
    outreach = sum(week.outreach for week in weeks)
    replies = sum(week.replies for week in weeks)
    chats = sum(week.chats for week in weeks)
    span = "This week" if len(weeks) == 1 else f"The last {len(weeks)} weeks"
    return (
        f"{span}: {plural(outreach, 'reach-out')}, "
        f"{plural(replies, 'reply', 'replies')} and {plural(chats, 'coffee chat')}"
    )
