"""Fears: write the fear down, then let the user's own evidence answer it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.coaching.domain import (
    Contact,
    Fear,
    FearOutcome,
    User,
)
from bot.coaching.fears import Evidence, Situation
from bot.coaching.text import shorten
from bot.messages.common import esc, format_day

# --- fears: write the fear down, then let the user's own evidence answer it --------------------

OUTCOME_LABELS = {
    FearOutcome.YES: "came true",
    FearOutcome.PARTLY: "partly",
    FearOutcome.NO: "didn't happen",
}
FEAR_PROMPT_LABELS = {"never": "never", "some": "some days", "daily": "every morning"}
FEAR_ASK_TEXT = (
    "🫣 What are you afraid might happen? One line is enough, for example: "
    "<i>they'll think I only want something from them</i>."
)
MORNING_FEAR_LINE = "🫣 Quick one: what are you afraid might happen today? Tap one, or skip."
NERVOUS_LINE = "🫣 Quick one: how nervous were you before sending it? 1 calm, 5 very."


def nervous_rated_line(strength: int) -> str:
    """Where the 'how nervous?' question was, once answered (plain text)."""
    return f"🫣 Nerves before sending: {strength}/5."


CRISIS_TEXT = (
    "I'm really sorry you're carrying this. It sounds heavier than a job search, and you "
    "deserve support from a real person right now.\n\n"
    "If you might be in danger, please call your local emergency number. You can also reach "
    "a free, confidential crisis line in your country (findahelpline.com lists them), "
    "or talk to a doctor or someone you trust.\n\n"
    "I'm only a networking coach, but I'm glad you told me. The outreach can wait. 💛"
)
_REFRAMES = {
    Situation.SILENCE: "Quiet or “later” usually means busy, not no. A short, friendly "
    "follow-up is normal, and often welcome.",
    Situation.DECLINE: "One answer from one person on one day, not a verdict on you. "
    "You asked, and asking is the part you control.",
    Situation.GOOD: "Worth noting: what really happened goes into your evidence.",
    Situation.QUIET: "No answer after a few tries is usually timing, not a verdict on you. "
    "A month from now, a fresh hello often lands.",
}


def fear_label(fear: Fear, limit: int = 80) -> str:
    """A fear as quoted back to the user; a bare rating reads 'nerves before reaching out'."""
    if fear.text is None:
        return "nerves before reaching out"
    return f"“{esc(shorten(fear.text, limit))}”"


def reframe_text(situation: Situation) -> str:
    """A short reframe, in our own words, for what just happened."""
    return _REFRAMES[situation]


def fear_strength_question(text: str) -> str:
    """Asks how strong a fear is, before it is stored."""
    question = "How strong is this fear right now? 1 a whisper, 5 loud."
    return f"🫣 “{esc(shorten(text, 200))}”\n{question}"


def fear_saved_text(fear: Fear, *, has_contacts: bool) -> str:
    """A fear written down, with the offer to tie it to someone."""
    lines = [f"📓 Written down: {fear_label(fear)} ({fear.strength_before}/5)."]
    lines.append(
        "I'll tie it to the next outreach you log today"
        + (", unless it's about someone in particular:" if has_contacts else ".")
    )
    return "\n".join(lines)


def fear_tied_text(fear: Fear, contact: Contact) -> str:
    """A fear tied to a contact."""
    return (
        f"📓 {fear_label(fear)} ({fear.strength_before}/5) is tied to "
        f"<b>{esc(contact.name)}</b>. When they answer, I'll ask whether it happened."
    )


def fear_next_outreach_text(fear: Fear) -> str:
    """A fear waiting for the next outreach of the day."""
    return (
        f"📓 {fear_label(fear)} ({fear.strength_before}/5) will ride on the next outreach "
        "you log today. When that person answers, I'll ask whether it happened."
    )


def fear_journal_only_text(fear: Fear) -> str:
    """A fear kept in the journal without an outreach to test it."""
    return f"📓 {fear_label(fear)} is in your journal. /fears shows it next to your evidence."


def fear_rides_line(fear: Fear, contact: Contact) -> str:
    """After an outreach that now carries a fear."""
    return (
        f"🫣 Your fear {fear_label(fear, 60)} rides on this one. When {esc(contact.name)} "
        "answers, we'll check it against what happened."
    )


def fear_outcome_question(fear: Fear, contact: Contact | None) -> str:
    """After a reply or a chat (or from /fears): did the feared thing happen?"""
    if fear.text is None:
        before = f" reaching {esc(contact.name)}" if contact else ""
        return (
            f"🫣 Before{before} you were nervous "
            f"({fear.strength_before}/5). Did what you feared happen?"
        )
    return f"🫣 You feared {fear_label(fear, 60)} ({fear.strength_before}/5). Did it happen?"


def silence_question(fear: Fear, contact: Contact) -> str:
    """When a follow-up is let rest, or the last one went unanswered: did the fear come true?"""
    if fear.text is None:
        feared = f"you were nervous ({fear.strength_before}/5)"
    else:
        feared = f"you feared {fear_label(fear, 60)} ({fear.strength_before}/5)"
    return (
        f"🫣 No answer from {esc(contact.name)}: did what you feared happen? "
        f"Before reaching out, {feared}."
    )


def fear_outcome_text(fear: Fear, situation: Situation) -> str:
    """After the outcome is in: what it was, a reframe, and how strong the fear is now."""
    assert fear.outcome is not None
    said = {
        FearOutcome.YES: "It happened.",
        FearOutcome.PARTLY: "Partly happened.",
        FearOutcome.NO: "It didn't happen.",
    }[fear.outcome]
    return (
        f"{said} {reframe_text(situation)}\n"
        f"How strong is that fear now? It was {fear.strength_before}/5."
    )


def _evidence_body(evidence: Evidence) -> str:
    tested = evidence.tested
    body = (
        f"{tested} fear{'s' if tested != 1 else ''} tested: {evidence.did_not} didn't happen, "
        f"{evidence.partly} partly, {evidence.came_true} came true."
    )
    if evidence.average_before is not None and evidence.average_after is not None:
        body += f" Strength {evidence.average_before:.1f} → {evidence.average_after:.1f}."
    return body


def evidence_sentence(evidence: Evidence) -> str:
    """One line of the user's own evidence: how often the feared thing really happened."""
    return f"🧪 {_evidence_body(evidence)}"


def fear_rated_text(fear: Fear, evidence: Evidence) -> str:
    """After the strength-now answer (or its skip): the change, and the evidence so far."""
    lines = []
    if fear.strength_after is not None:
        lines.append(f"Noted: {fear.strength_before}/5 before, {fear.strength_after}/5 now.")
    else:
        lines.append("Noted.")
    lines.append(evidence_sentence(evidence))
    return "\n".join(lines)


def fears_text(
    fears: Sequence[Fear],
    evidence: Evidence,
    contact_names: dict[int, str],
    user: User,
    now: datetime,
) -> str:
    """/fears: the evidence, the latest entries, and the fears still waiting for an outcome."""
    setting = FEAR_PROMPT_LABELS.get(user.fear_prompts, user.fear_prompts)
    footer = f"<i>Fear question in the morning message: {setting}.</i>"
    if not fears:
        return "\n".join(
            [
                "<b>Your fears and the evidence</b>",
                "Nothing written down yet. When a fear shows up before you reach out, "
                "/fear writes it down: then it's a prediction you can test.",
                "",
                footer,
            ]
        )
    lines = ["<b>Your fears and the evidence</b>"]
    if evidence.has_evidence:
        lines.append(evidence_sentence(evidence))
    else:
        lines.append("No fear has met its outcome yet: the evidence starts with the first one.")
    tested = [fear for fear in fears if fear.outcome is not None]
    if tested:
        lines += ["", "<b>Latest</b>"]
        for fear in reversed(tested[-5:]):
            assert fear.outcome is not None
            after = f" → {fear.strength_after}/5" if fear.strength_after is not None else ""
            lines.append(
                f"• {format_day(fear.created_at, user.timezone)} {fear_label(fear, 60)}"
                f"{_fear_who(fear, contact_names)}: {OUTCOME_LABELS[fear.outcome]}, "
                f"{fear.strength_before}/5{after}"
            )
    waiting = [fear for fear in fears if fear.outcome is None]
    if waiting:
        lines += ["", f"<b>Waiting for an outcome ({len(waiting)})</b>, tap 🧪 to record one:"]
        for fear in reversed(waiting[-5:]):
            if fear.contact_id is not None:
                where = _fear_who(fear, contact_names)
            elif fear.tie_until is not None and fear.tie_until > now:
                where = " · your next outreach today"
            else:
                where = " · journal only"
            lines.append(f"• {fear_label(fear, 60)} ({fear.strength_before}/5){where}")
    lines += ["", footer]
    return "\n".join(lines)


def _fear_who(fear: Fear, contact_names: dict[int, str]) -> str:
    name = contact_names.get(fear.contact_id) if fear.contact_id is not None else None
    return f" · {esc(name)}" if name else ""


def weekly_fear_line(evidence: Evidence) -> str | None:
    """The weekly review's line of fear evidence, when there is some."""
    if not evidence.has_evidence:
        return None
    return f"🧪 Your fears so far: {_evidence_body(evidence)}"
