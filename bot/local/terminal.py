"""`outreach-coach chat`: the real bot, talking to a local Bot API emulator, in this terminal."""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import re
import sys
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram.ext import Application
from tornado.netutil import bind_sockets

from bot.application import build_application, mini_app, polling
from bot.clock import Clock, OffsetClock
from bot.coaching.timing import next_daily
from bot.config import Settings, SettingsError
from bot.context import Services
from bot.local.emulator import BotApiEmulator, BotMessage, Button, track_updates
from storage.database import chats_held

CHAT_ID = 1
# `:as Kim` plays another Telegram user (a partner you invite) in chat 2, the next name in 3...
OTHER_CHATS = range(2, 10)
ME = "me"
PREFIX = "coach> "
INDENT = " " * len(PREFIX)
PRINT_INTERVAL = 0.2
REPLY_TIMEOUT = 15.0
# Telegram lets people send bigger files, but bots can only download 20 MB.
LARGEST_FILE = 50 * 1024 * 1024

ApplicationFactory = Callable[[Settings, Clock], Application[Any, Any, Any, Any, Any, Any]]

WELCOME = (
    "Outreach Coach is running on your computer, no Telegram needed.\n"
    "Type to the bot as you would in Telegram: plain text or a /command (try /start).\n"
    "A number presses that button, :help lists the terminal commands, "
    ":quit (or Ctrl-D) leaves."
)

HELP = """Terminal commands:
  N                    press the button labelled N, else button number N of the latest
                       buttons; a larger number is sent as text
  :say TEXT            send TEXT as it is (for when TEXT is just a number)
  :location LAT LON    share a location, e.g. :location 52.52 13.40
  :send PATH           send a file, e.g. :send ~/Downloads/Connections.csv
  :contact NAME        share a phone contact, e.g. :contact Vera Kim
  :as Kim              be another Telegram user (say, the partner you invite: paste
                       your invite link as Kim); :as me switches back
  :app                 the address of the app (contacts, history, progress) to open
                       in a browser, signed for whoever you are now
  :skip 1d             move the clock ahead (w, d, h, m, s; e.g. :skip 2h30m)
  :at 08:00            move the clock to the next 08:00 UTC (or :at 08:00 Europe/Berlin)
  :now                 show the current time (or :now Europe/Berlin)
  :wait 2              wait 2 seconds for scheduled messages
  :help                this list
  :quit                leave (Ctrl-D works too)"""

_SKIP_PART = re.compile(r"(\d+)\s*([wdhms])")
_SKIP_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_PERSONA = re.compile(r"[^\W\d_][\w' -]{0,31}")
_DEEP_LINK = re.compile(r"(?:https?://)?t\.me/(\w+)\?start=([A-Za-z0-9_-]{1,64})")


async def run_terminal_chat(
    settings: Settings,
    clock: OffsetClock,
    *,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
    build: ApplicationFactory | None = None,
    files_dir: Path | None = None,
) -> None:
    """Run the bot against a local emulator and chat with it through `input_stream`/`output`.

    `build` makes the Application (default: `bot.application.build_application`). Files the
    bot sends (exports, charts) are saved in `files_dir` when one is given. Raises
    SettingsError, before anything runs, for a database that holds other chats: the
    terminal's scheduler and `:skip` would act on real users.
    """
    input_stream = sys.stdin if input_stream is None else input_stream
    output = sys.stdout if output is None else output
    build = build or build_application
    held = await chats_held(settings.database_url, (CHAT_ID, *OTHER_CHATS))
    if held.others:
        raise SettingsError(
            "this database holds other people's chats, and the terminal chat would run their "
            "scheduled messages: give --database a file of its own (by default it uses "
            "./outreach-coach-chat.db)."
        )
    # Update ids go on from the last one this database handled: the bot skips ids it has
    # seen (a redelivery), and a new emulator would otherwise start again at 1.
    emulator = BotApiEmulator(clock=clock, first_update_id=held.last_update_id + 1)
    await emulator.start()
    # The Mini App, on a free port of this machine (`:app` prints its address for a browser).
    sockets = bind_sockets(0, "127.0.0.1")
    app_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/app"
    try:
        settings = replace(
            settings,
            token=emulator.token,
            api_base_url=emulator.base_url,
            webapp_url=app_url,
            listen="127.0.0.1",
        )
        application = build(settings, clock)
        track_updates(application, emulator)
        # A stand-in application (a test's) has no services for the Mini App to use.
        ours = isinstance(application.bot_data, Services)
        app = mini_app(application, settings, sockets=sockets) if ours else nullcontext()
        async with polling(application), app:
            chat = TerminalChat(emulator, clock, input_stream, output, application, files_dir)
            await chat.remember_partner()
            await chat.run()
    finally:
        for sock in sockets:
            sock.close()
        await emulator.stop()


@dataclass
class _Shown:
    """What the terminal last showed of a bot message."""

    kind: str
    html: str
    buttons: list[list[Button]]


class TerminalChat:
    """Reads the user's lines, hands them to the emulator, prints what the bot sends."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        clock: OffsetClock,
        input_stream: TextIO,
        output: TextIO,
        application: Application[Any, Any, Any, Any, Any, Any],
        files_dir: Path | None = None,
    ) -> None:
        self.emulator = emulator
        self.files_dir = files_dir
        self.saved: set[tuple[int, int]] = set()
        self.application = application
        self.clock = clock
        self.input = input_stream
        self.output = output
        self.color = _isatty(output)
        self.echo = not _isatty(input_stream)
        self.shown: dict[tuple[int, int], _Shown] = {}
        self.numbered: list[tuple[int, Button]] = []
        self.violations_shown = 0
        self.toasts_shown = 0
        self.chat_id = CHAT_ID  # who the person at the keyboard is playing
        self.personas: dict[int, str] = {CHAT_ID: ME}

    async def run(self) -> None:
        """Chat until :quit or the end of the input."""
        self.say(WELCOME)
        if self.files_dir is not None:
            self.say(f"Files the bot sends (exports, charts) are saved in {self.files_dir}/.")
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        _start_reader(self.input, lines, asyncio.get_running_loop())
        printer = asyncio.create_task(self._print_in_background())
        try:
            while (line := await lines.get()) is not None:
                if not await self.handle(line.rstrip("\r\n")):
                    break
        finally:
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer
            self.flush()

    async def handle(self, line: str) -> bool:
        """Act on one input line; False means the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if self.echo:
            self.say(f"you> {text}")
        if text.isdecimal() and self.numbered:
            # A button labelled exactly as typed wins ("30" presses the button "30"); then
            # a button's number; a number beyond the buttons is plain text (a goal of 40).
            labelled = [index for index, (_, b) in enumerate(self.numbered) if b.text == text]
            if labelled:
                await self._press(labelled[0] + 1)
                return True
            if 1 <= int(text) <= len(self.numbered):
                await self._press(int(text))
                return True
        if text.startswith(":"):
            return await self._command(text)
        await self._send(text)
        return True

    async def _command(self, text: str) -> bool:
        name, _, argument = text.partition(" ")
        argument = argument.strip()
        if name in (":quit", ":q", ":exit"):
            return False
        if name == ":help":
            self.say(HELP)
        elif name == ":say" and argument:
            await self._send(argument)
        elif name == ":skip":
            if self._skip(argument):
                await self._run_periodic_jobs()
        elif name == ":at":
            if self._at(argument):
                await self._run_periodic_jobs()
        elif name == ":now":
            zone = self._zone(argument or "UTC")
            if zone is not None:
                self.say(f"It is {_format_time(self.clock.now(), zone)}.")
        elif name == ":location":
            await self._share_location(argument)
        elif name == ":send":
            await self._send_file(argument)
        elif name == ":contact":
            await self._share_contact(argument)
        elif name == ":as":
            self._become(argument)
        elif name == ":app":
            self._open_app(None)
        elif name == ":wait":
            seconds = float(argument) if re.fullmatch(r"\d+(\.\d+)?", argument) else 1.0
            await asyncio.sleep(min(seconds, 60.0))
            self.flush()
        else:
            self.say(f"I don't know {name}. :help lists the terminal commands.")
        return True

    async def _share_location(self, argument: str) -> None:
        try:
            latitude, longitude = (float(part) for part in argument.replace(",", " ").split())
        except ValueError:
            self.say("Try :location 52.52 13.40 (latitude, then longitude).")
            return
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.say("Latitude goes from -90 to 90 and longitude from -180 to 180.")
            return
        await self._settle(self.emulator.share_location(self.chat_id, latitude, longitude))

    async def _send_file(self, argument: str) -> None:
        """Send a file from this computer as the user would from the phone."""
        if not argument:
            self.say("Try :send ~/Downloads/Connections.csv")
            return
        read = await asyncio.to_thread(_read_file, argument)
        if isinstance(read, str):
            self.say(read)
            return
        name, data = read
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.say(f"(sending {name}, {len(data)} bytes)")
        await self._settle(self.emulator.send_document(CHAT_ID, name, data, mime_type=mime_type))

    async def _share_contact(self, argument: str) -> None:
        """Share a phone contact, as the phone's contact picker does."""
        first, _, last = argument.partition(" ")
        if not first:
            self.say("Try :contact Vera Kim")
            return
        update_id = self.emulator.share_contact(
            CHAT_ID, "+44 7700 900123", first, last.strip() or None
        )
        await self._settle(update_id)

    async def _send(self, text: str) -> None:
        link = _DEEP_LINK.fullmatch(text)
        if link is not None and link[1] == self.emulator.bot_username:
            # What Telegram does when someone opens the bot's link with a start parameter.
            text = f"/start {link[2]}"
            self.say(f"(Telegram opens the link and sends {text})")
        if self.chat_id == CHAT_ID:
            update_id = self.emulator.send_text(CHAT_ID, text)
        else:
            update_id = self.emulator.send_text(
                self.chat_id, text, first_name=self.personas[self.chat_id]
            )
        await self._settle(update_id)

    async def remember_partner(self) -> None:
        """A partner played in an earlier run (`:as Kim`) is known again, so what the bot sends
        them shows under their name."""
        services = self.application.bot_data
        if not isinstance(services, Services):  # a bare application (the terminal's own tests)
            return
        partnership = await services.store.open_partnership(CHAT_ID)
        if partnership is None or partnership.partner_chat_id not in OTHER_CHATS:
            return
        if partnership.partner_chat_id is not None and partnership.partner_name:
            self.personas.setdefault(partnership.partner_chat_id, partnership.partner_name)

    def _become(self, name: str) -> None:
        """`:as Kim`: type as another Telegram user from now on; `:as me` comes back."""
        if name.lower() in (ME, ""):
            chat_id = CHAT_ID
        elif _PERSONA.fullmatch(name) is None:
            self.say("Try :as Kim (a first name), or :as me to be yourself again.")
            return
        else:
            known = {persona.lower(): chat for chat, persona in self.personas.items()}
            free = [chat for chat in OTHER_CHATS if chat not in self.personas]
            chat_id = known.get(name.lower(), free[0] if free else 0)
            if not chat_id:
                self.say("That's enough people for one terminal: :as one of them, or :as me.")
                return
            self.personas.setdefault(chat_id, name)
        self.chat_id = chat_id
        if chat_id == CHAT_ID:
            self.say("You are yourself again.")
        else:
            self.say(
                f"You are now {self.personas[chat_id]}, another Telegram user with a chat of "
                "their own. :as me switches back."
            )
        self._number_latest_buttons()

    async def _press(self, number: int) -> None:
        message_id, button = self.numbered[number - 1]
        if button.callback_data is not None:
            update_id = self.emulator.press(self.chat_id, message_id, button.callback_data)
        elif button.url is not None:
            self.say(f"That button opens {button.url}")
            return
        elif button.web_app is not None:
            self._open_app(button.web_app)
            return
        else:
            update_id = self.emulator.send_text(self.chat_id, button.text)
        await self._settle(update_id)

    def _open_app(self, url: str | None) -> None:
        """Print the Mini App's address with launch parameters for the person at the keyboard,
        as Telegram would open it (they hold for a day)."""
        try:
            address = self.emulator.open_web_app(self.chat_id, url)
        except LookupError:
            self.say("The app is not on in this chat.")
            return
        self.say(f"Open this in a browser (it works for a day, as {self.personas[self.chat_id]}):")
        self.say(address)

    async def _settle(self, update_id: int) -> None:
        try:
            await self.emulator.wait_processed(update_id, timeout=REPLY_TIMEOUT)
        except TimeoutError:
            self.say(f"(the bot has not finished after {REPLY_TIMEOUT:g} seconds)")
        self.flush()

    async def _run_periodic_jobs(self) -> None:
        """After the clock moved, run the bot's periodic jobs now instead of at their next tick,
        so a scheduled message that just came due shows up at once."""
        if self.application.job_queue is not None:
            for job in self.application.job_queue.jobs():
                await job.run(self.application)
        self.flush()

    def _skip(self, argument: str) -> bool:
        parts = _SKIP_PART.findall(argument)
        if not parts or _SKIP_PART.sub("", argument).strip():
            self.say("Try :skip 1d, :skip 3h, :skip 30m or :skip 1d12h.")
            return False
        delta = sum(
            (timedelta(**{_SKIP_UNITS[unit]: int(amount)}) for amount, unit in parts), timedelta()
        )
        self.clock.advance(delta)
        self.say(f"Skipped ahead. It is now {_format_time(self.clock.now(), ZoneInfo('UTC'))}.")
        return True

    def _at(self, argument: str) -> bool:
        clock_time, _, zone_name = argument.partition(" ")
        match = _CLOCK_TIME.fullmatch(clock_time)
        if match is None:
            self.say("Try :at 08:00 or :at 08:00 Europe/Berlin.")
            return False
        zone = self._zone(zone_name.strip() or "UTC")
        if zone is None:
            return False
        target = next_daily(time(int(match[1]), int(match[2])), zone.key, self.clock.now())
        self.clock.move_to(target)
        self.say(f"It is now {_format_time(target, zone)}.")
        return True

    def _zone(self, name: str) -> ZoneInfo | None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.say(f"I don't know the time zone {name!r}; try a name like Europe/Berlin.")
            return None

    async def _print_in_background(self) -> None:
        """Show messages the bot sends on its own (scheduled ones) while the user is idle."""
        while True:
            await asyncio.sleep(PRINT_INTERVAL)
            self.flush()

    # -- output ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Print every toast (the answer to a button press), bot message and edit not shown
        yet, oldest first, once each; with several people in play, those to someone else are
        marked with their name (and come after the answer to what this person just did)."""
        for answer in self.emulator.callback_answers[self.toasts_shown :]:
            if answer.get("text"):
                self._write(f"{INDENT}({answer['text']})")
        self.toasts_shown = len(self.emulator.callback_answers)
        others = [chat_id for chat_id in self.personas if chat_id != self.chat_id]
        for chat_id in [self.chat_id, *others]:
            for message in self.emulator.messages(chat_id):
                shown = _Shown(message.kind, message.html, message.buttons)
                before = self.shown.get((chat_id, message.message_id))
                if before == shown:
                    continue
                self.shown[(chat_id, message.message_id)] = shown
                self._print_message(message, edited=before is not None)
        for violation in self.emulator.violations[self.violations_shown :]:
            self.say(f"(!) Telegram would reject this call: {violation}")
        self.violations_shown = len(self.emulator.violations)

    def _print_message(self, message: BotMessage, *, edited: bool) -> None:
        lines = render(message).split("\n")
        if edited:
            lines[0] = f"(edited) {lines[0]}"
        mine = message.chat_id == self.chat_id
        plain = PREFIX if mine else f"coach to {self.personas[message.chat_id]}> "
        indent = " " * len(plain)
        prefix = f"\x1b[1;36m{plain}\x1b[0m" if self.color and mine else plain
        self._write(prefix + lines[0])
        for line in lines[1:]:
            self._write((indent + line).rstrip())
        saved = self._save_file(message)
        if saved is not None:
            self._write(f"{indent}saved as {saved}")
        if not mine:
            for row in message.buttons:  # pressed after `:as` them
                self._write(indent + "  ".join(f"[{_button_label(b)}]" for b in row))
        elif message.buttons:
            self._number_buttons(message)
        elif any(message_id == message.message_id for message_id, _ in self.numbered):
            self.numbered = []  # its buttons were taken away
        self.output.flush()

    def _number_buttons(self, message: BotMessage) -> None:
        """Number a message's buttons (typing the number presses one) and print them."""
        self.numbered = []
        for row in message.buttons:
            labels = []
            for button in row:
                self.numbered.append((message.message_id, button))
                labels.append(f"[{len(self.numbered)}] {_button_label(button)}")
            self._write(INDENT + "  ".join(labels))

    def _number_latest_buttons(self) -> None:
        """After `:as`: the newest buttons this person has are the ones numbers press."""
        self.numbered = []
        with_buttons = [m for m in self.emulator.messages(self.chat_id) if m.buttons]
        if with_buttons:
            self._write("Your latest buttons:")
            self._number_buttons(with_buttons[-1])
        self.output.flush()

    def _save_file(self, message: BotMessage) -> Path | None:
        """Write a picture or a document into files_dir once; its path, or None."""
        key = (message.chat_id, message.message_id)
        if self.files_dir is None or message.data is None or key in self.saved:
            return None
        chat = "" if message.chat_id == CHAT_ID else f"{self.personas[message.chat_id]}-"
        if message.kind == "photo":
            name = f"{chat}{message.message_id}-chart.png"
        elif message.kind == "document":
            name = f"{chat}{message.message_id}-{Path(message.filename or 'file').name}"
        else:
            return None
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / name
        path.write_bytes(message.data)
        self.saved.add(key)
        return path

    def say(self, text: str) -> None:
        """Print a line of the terminal's own (not the bot's)."""
        for line in text.split("\n"):
            self._write(line)
        self.output.flush()

    def _write(self, line: str) -> None:
        self.output.write(line + "\n")


def render(message: BotMessage) -> str:
    """A bot message as terminal text (without its buttons)."""
    if message.kind == "photo":
        return f"[picture: {message.text}]" if message.text else "[picture]"
    if message.kind == "document":
        size = len(message.data) if message.data is not None else 0
        line = f"[file: {message.filename or 'unnamed'}, {size} bytes]"
        return f"{line}\n{message.text}" if message.text else line
    return message.text


def _read_file(argument: str) -> tuple[str, bytes] | str:
    """The name and bytes of a file to send, or why it cannot be sent."""
    path = Path(argument).expanduser()
    try:
        if path.stat().st_size > LARGEST_FILE:
            return f"{path.name} is over {LARGEST_FILE // (1024 * 1024)} MB; try a smaller file."
        return path.name, path.read_bytes()
    except OSError as error:
        return f"I can't read {argument}: {error.strerror or error}."


def _button_label(button: Button) -> str:
    if button.web_app:
        return f"{button.text} (opens the app)"
    return f"{button.text} ({button.url})" if button.url else button.text


def _format_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b %Y, %H:%M ") + str(zone)


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


def _start_reader(
    stream: TextIO, lines: asyncio.Queue[str | None], loop: asyncio.AbstractEventLoop
) -> None:
    """Read lines in a daemon thread, so a blocked read never holds up the loop or the exit."""

    def put(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: the chat is over
            loop.call_soon_threadsafe(lines.put_nowait, line)

    def read() -> None:
        try:
            for line in iter(stream.readline, ""):
                put(line)
        except (OSError, ValueError):
            pass
        put(None)

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
