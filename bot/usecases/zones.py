"""A city name several places share: the buttons that ask which one is the user's."""

from __future__ import annotations

import asyncio

from bot.coaching.places import AmbiguousPlace, CityChoice, city_choice
from bot.messages.common import EXPIRED, esc
from bot.usecases.actions import PickOnboardingCity, PickSettingsCity
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply


def city_choices(
    ambiguous: AmbiguousPlace, action: type[PickOnboardingCity | PickSettingsCity]
) -> Reply:
    """The question 'which Portland?', one button per city."""
    rows: tuple[ButtonRow, ...] = tuple(
        (Button(f"📍 {choice.label}", action(choice.city_id)),) for choice in ambiguous.choices
    )
    return Reply(esc(ambiguous.message), rows)


async def chosen_city(city_id: int) -> CityChoice:
    """The city a choice button names (the city index may still be loading)."""
    choice = await asyncio.to_thread(city_choice, city_id)
    if choice is None:
        raise Refusal(EXPIRED)
    return choice
