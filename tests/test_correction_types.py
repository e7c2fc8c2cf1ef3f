"""The typed values corrections travel in: the new pending questions and drafts round-trip and
fit their columns, and the new buttons decode only within their bounds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.domain import Ask, Channel, Kind, Tier
from bot.coaching.pending import (
    AwaitContactName,
    AwaitEntryDay,
    AwaitEntryNote,
    AwaitMergeTarget,
    LogOrigin,
    PendingContact,
    PendingLog,
    PendingRename,
    draft_from_payload,
    draft_kind,
    draft_to_payload,
    question_from_json,
    question_to_json,
)
from bot.usecases.actions import (
    DeleteEntry,
    EntryField,
    MergeInto,
    NameChoice,
    SetEntryAsk,
    SetEntryDay,
    SettleName,
    StaleButton,
    UndoLog,
    pack,
    unpack,
)

ids = st.integers(min_value=1, max_value=10**12 - 1)


@given(
    st.one_of(
        st.builds(AwaitEntryNote, ids),
        st.builds(AwaitEntryDay, ids),
        st.builds(AwaitContactName, ids),
        st.builds(AwaitMergeTarget, ids),
    )
)
def test_the_new_questions_round_trip_and_fit_their_column(question: object) -> None:
    stored = question_to_json(question)  # type: ignore[arg-type]
    assert len(stored) <= 64
    assert question_from_json(stored) == question


drafts = st.one_of(
    st.builds(
        PendingLog,
        st.sampled_from(LogOrigin),
        st.sampled_from(Kind),
        st.text(min_size=1, max_size=64),
        channel=st.none() | st.sampled_from(Channel),
        ask=st.none() | st.sampled_from(Ask),
        check_back=st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    ),
    st.builds(PendingContact, st.text(min_size=1, max_size=64), st.sampled_from(Tier)),
    st.builds(PendingRename, ids, st.text(min_size=1, max_size=64)),
)


@given(drafts)
def test_the_new_drafts_round_trip(draft: PendingLog | PendingContact | PendingRename) -> None:
    assert draft_from_payload(draft_kind(draft), draft_to_payload(draft)) == draft


@pytest.mark.parametrize("check_back", ["tomorrow", "2027-13-01", 20270107])
def test_a_draft_with_a_malformed_day_is_refused(check_back: object) -> None:
    payload = draft_to_payload(PendingLog(LogOrigin.SENTENCE, Kind.REPLY_LATER, "Ana"))
    assert draft_from_payload("log", {**payload, "check_back": check_back}) is None


@pytest.mark.parametrize(
    "action",
    [
        UndoLog(7),
        SettleName(3, NameChoice.SUGGESTED),
        MergeInto(1, 2, True),
        SetEntryAsk(5, "none"),
        SetEntryAsk(5, "referral"),
        SetEntryDay(5, 6),
        DeleteEntry(9, False),
    ],
)
def test_new_buttons_round_trip(action: object) -> None:
    assert unpack(pack(action)) == action  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        "1:mg:4:4:y",  # a contact merged into itself
        "1:ed:5:7",  # a day more than six days back is typed, not tapped
        "1:ea:5:everything",
        "1:ef:5:z",
        "1:nm:3:q",
        "1:nx:5:f",  # the old "next step" button, by contact: read as expired
    ],
)
def test_new_buttons_refuse_what_they_cannot_mean(data: str) -> None:
    with pytest.raises(StaleButton):
        unpack(data)


def test_entry_fields_cover_the_product_words() -> None:
    assert {field.name.lower() for field in EntryField} == {"kind", "channel", "ask", "note", "day"}
