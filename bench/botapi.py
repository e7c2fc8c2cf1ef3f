"""The Bot API side of a benchmark, in a process of its own: the minimal sink (speed) or the
spec-checking emulator (correctness), plus a control endpoint for the bench driver.

`python -m bench.botapi --server sink|emulator [--flood-control] [--first-update-id N]`
prints one JSON line, `{"api": URL, "control": URL, "token": TOKEN}`, then serves until
SIGTERM. The control endpoint (JSON over HTTP on its own port):

- `POST /inject` `{"messages": [[chat_id, text], ...]}`: queue those text messages for the
  bot's `getUpdates`, all at one instant; answers `{"update_ids": [...]}`;
- `GET /status`: `{"waiting_polls": n, "calls": {method: n}}`;
- `GET /report[?texts=0]`: what the bot sent since the last reset: for each chat its sends
  `[at, method, text, paid]` (`at` from `time.monotonic`, the same clock in every process of
  the machine), the injected updates `{update_id: [chat, at, text]}`, the flood control's
  refusals and its count of sends in each wall-clock second, the calls by method, the spec
  violations (emulator only), and `wall_offset` (`time.time() - time.monotonic()`);
- `POST /reset`: forget all of that.

Running the server in its own process keeps its CPU and memory out of the bot's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import time
from collections import Counter
from typing import Any, Protocol

import tornado.httpserver
import tornado.netutil
import tornado.web

from bench.sink import TEXT_KEPT, BotApiSink, no_log
from bot.local.emulator import DEFAULT_TOKEN, BotApiEmulator, FloodControl
from bot.local.emulator.flood import SEND_METHODS, is_paid


class BenchServer(Protocol):
    """What the control endpoint needs from a Bot API server."""

    def inject(self, messages: list[tuple[int, str]]) -> list[int]: ...

    def status(self) -> dict[str, Any]: ...

    def report(self, *, texts: bool) -> dict[str, Any]: ...

    def reset(self) -> None: ...


class SinkServer:
    """The control endpoint's view of the sink."""

    def __init__(self, sink: BotApiSink) -> None:
        self.sink = sink

    def inject(self, messages: list[tuple[int, str]]) -> list[int]:
        return self.sink.inject(messages)

    def status(self) -> dict[str, Any]:
        return {"waiting_polls": self.sink.waiting_polls, "calls": dict(self.sink.calls)}

    def report(self, *, texts: bool) -> dict[str, Any]:
        sends = {
            chat: [[s.at, s.method, s.text if texts else "", s.paid] for s in chat_sends]
            for chat, chat_sends in self.sink.sends.items()
        }
        return _report(
            sends,
            {uid: list(entry) for uid, entry in self.sink.injected.items()},
            self.sink.flood_control,
            dict(self.sink.calls),
            [],
        )

    def reset(self) -> None:
        self.sink.reset()


class EmulatorServer:
    """The control endpoint's view of the emulator: injections are `send_text`, sends are
    read from its log of calls."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.first_call = 0
        self.injected: dict[int, list[Any]] = {}

    def inject(self, messages: list[tuple[int, str]]) -> list[int]:
        now = time.monotonic()
        ids = []
        for chat_id, text in messages:
            update_id = self.emulator.send_text(chat_id, text, first_name=f"User {chat_id}")
            self.injected[update_id] = [chat_id, now, text]
            ids.append(update_id)
        return ids

    def status(self) -> dict[str, Any]:
        calls = Counter(call.method for call in self.emulator.calls[self.first_call :])
        return {"waiting_polls": self.emulator.waiting_polls, "calls": dict(calls)}

    def report(self, *, texts: bool) -> dict[str, Any]:
        sends: dict[int, list[list[Any]]] = {}
        calls: Counter[str] = Counter()
        for call in self.emulator.calls[self.first_call :]:
            calls[call.method] += 1
            if call.method in SEND_METHODS and call.status == 200:
                text = str(call.params.get("text") or call.params.get("caption") or "")
                sends.setdefault(int(call.params["chat_id"]), []).append(
                    [call.at, call.method, text[:TEXT_KEPT] if texts else "", is_paid(call.params)]
                )
        return _report(
            sends,
            self.injected,
            self.emulator.flood_control,
            dict(calls),
            list(self.emulator.violations),
        )

    def reset(self) -> None:
        self.first_call = len(self.emulator.calls)
        self.injected.clear()
        self.emulator.violations.clear()
        if self.emulator.flood_control is not None:
            self.emulator.flood_control.refusals = 0
            self.emulator.flood_control.per_second.clear()


def _report(
    sends: dict[int, list[list[Any]]],
    injected: dict[int, list[Any]],
    flood_control: FloodControl | None,
    calls: dict[str, int],
    violations: list[str],
) -> dict[str, Any]:
    return {
        "sends": sends,
        "injected": injected,
        "refusals": flood_control.refusals if flood_control else 0,
        "per_second": dict(flood_control.per_second) if flood_control else {},
        "calls": calls,
        "violations": violations,
        "wall_offset": time.time() - time.monotonic(),
    }


class _ControlHandler(tornado.web.RequestHandler):
    def initialize(self, server: BenchServer) -> None:
        self.server = server

    def get(self, action: str) -> None:
        if action == "status":
            self._answer(self.server.status())
        elif action == "report":
            self._answer(self.server.report(texts=self.get_argument("texts", "1") != "0"))
        else:
            self.send_error(404)

    def post(self, action: str) -> None:
        if action == "inject":
            body = json.loads(self.request.body)
            messages = [(int(chat), str(text)) for chat, text in body["messages"]]
            self._answer({"update_ids": self.server.inject(messages)})
        elif action == "reset":
            self.server.reset()
            self._answer({"ok": True})
        else:
            self.send_error(404)

    def _answer(self, body: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, separators=(",", ":")))

    def check_xsrf_cookie(self) -> None:
        return


async def serve(options: argparse.Namespace) -> None:
    """Start the chosen server and the control endpoint, print their addresses, wait for
    SIGTERM or SIGINT."""
    flood = FloodControl(chat_burst=options.chat_burst) if options.flood_control else None
    server: BenchServer
    if options.server == "emulator":
        emulator = BotApiEmulator(first_update_id=options.first_update_id, flood_control=flood)
        await emulator.start()
        api_url, stop = emulator.base_url, emulator.stop
        server = EmulatorServer(emulator)
    else:
        sink = BotApiSink(flood_control=flood)
        await sink.start()
        api_url, stop = f"http://127.0.0.1:{sink.port}", sink.stop
        server = SinkServer(sink)
    control = tornado.httpserver.HTTPServer(
        tornado.web.Application(
            [(r"/(\w+)", _ControlHandler, {"server": server})], log_function=no_log
        )
    )
    sockets = tornado.netutil.bind_sockets(0, address="127.0.0.1", family=socket.AF_INET)
    control.add_sockets(sockets)
    control_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    print(json.dumps({"api": api_url, "control": control_url, "token": DEFAULT_TOKEN}), flush=True)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    control.stop()
    await stop()


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve."""
    parser = argparse.ArgumentParser(prog="python -m bench.botapi", description=__doc__)
    parser.add_argument("--server", choices=("sink", "emulator"), default="sink")
    parser.add_argument(
        "--flood-control",
        action="store_true",
        help="answer 429 above 30 sends a wall-clock second (1,000 paid) or 1 a second a chat",
    )
    parser.add_argument("--chat-burst", type=int, default=3, help="sends to one chat at once")
    parser.add_argument("--first-update-id", type=int, default=1)
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
