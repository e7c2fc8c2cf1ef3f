"""The Bot API methods the emulator carries out on its chats (any other valid call answers True)."""

from __future__ import annotations

import asyncio
import copy
import struct
from collections.abc import Awaitable, Callable
from typing import Any

from bot.local.emulator.http import ClientGone, WaitingRequest
from bot.local.emulator.spec import parse_html
from bot.local.emulator.state import (
    ApiError,
    BotMessage,
    EmulatorState,
    StoredMessage,
    button_rows,
    inline_markup,
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# Bots can download files of up to 20 MB (getFile).
DOWNLOAD_LIMIT = 20 * 1024 * 1024


class BotApiMethods(EmulatorState):
    """Each Bot API method the bot uses, as Telegram carries it out on a private chat."""

    async def _carry_out(self, name: str, params: dict[str, Any], request: WaitingRequest) -> Any:
        """The result of a valid call of `name`; True for a method that changes nothing here."""
        method = _METHODS.get(name.lower())
        if method is None:
            return True
        return await method(self, params, request)

    async def _get_updates(self, params: dict[str, Any], request: WaitingRequest) -> list[Any]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._wake_polls("superseded")
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._updates or self._stopping:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            waiter: asyncio.Future[str] = loop.create_future()
            self._poll_waiters.add(waiter)
            self._poll_arrived.set()
            request.wake = waiter
            try:
                reason = await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return []
            finally:
                self._poll_waiters.discard(waiter)
                request.wake = None
            if reason == "closed":
                raise ClientGone
            if reason == "superseded":
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )

    async def _get_me(self, params: dict[str, Any], request: WaitingRequest) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_webhook(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _set_my_commands(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        self.commands = list(params["commands"])
        return True

    async def _get_my_commands(self, params: dict[str, Any], request: WaitingRequest) -> list[Any]:
        return list(self.commands or [])

    async def _delete_my_commands(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        self.commands = None
        return True

    async def _set_chat_menu_button(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            self._target_chat(params)
        self.menu_buttons[chat_id] = dict(params.get("menu_button") or {"type": "default"})
        return True

    async def _get_chat_menu_button(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any]:
        return self.menu_button(params.get("chat_id"))

    async def _send_message(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._check_reply(chat_id, params)
        html = params["text"]
        text, entities = _render(html, params.get("parse_mode"), params.get("entities"))
        message = self._bot_message(chat_id)
        message["text"] = text
        if entities:
            message["entities"] = entities
        view = BotMessage(message["message_id"], chat_id, "text", html, text)
        return self._store(view, message, entities, params.get("reply_markup"))

    async def _send_photo(self, params: dict[str, Any], request: WaitingRequest) -> dict[str, Any]:
        return self._send_media(params, "photo")

    async def _send_document(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any]:
        return self._send_media(params, "document")

    def _send_media(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._check_reply(chat_id, params)
        file = self._file_from(params[kind], kind)
        html = params.get("caption") or ""
        text, entities = _render(html, params.get("parse_mode"), params.get("caption_entities"))
        message = self._bot_message(chat_id)
        if kind == "photo":
            width, height = _image_size(file.data)
            message["photo"] = [
                {
                    "file_id": file.file_id,
                    "file_unique_id": file.unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(file.data or b""),
                }
            ]
        else:
            document: dict[str, Any] = {
                "file_id": file.file_id,
                "file_unique_id": file.unique_id,
                "mime_type": file.mime_type,
                "file_size": len(file.data or b""),
            }
            if file.filename:
                document["file_name"] = file.filename
            message["document"] = document
        if html:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities
        view = BotMessage(
            message["message_id"],
            chat_id,
            kind,
            html,
            text,
            filename=file.filename,
            data=file.data,
        )
        return self._store(view, message, entities, params.get("reply_markup"))

    async def _edit_message_text(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any] | bool:
        return self._edit_words(params, "text", "entities")

    async def _edit_message_caption(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any] | bool:
        return self._edit_words(params, "caption", "caption_entities")

    def _edit_words(
        self, params: dict[str, Any], key: str, entities_key: str
    ) -> dict[str, Any] | bool:
        """Edit a message's text (`key` "text") or a media message's caption ("caption")."""
        stored = self._message_to_edit(params)
        if stored is None:
            return True
        if (stored.view.kind == "text") != (key == "text"):
            raise ApiError(400, f"Bad Request: there is no {key} in the message to edit")
        html = params.get(key) or ""
        text, entities = _render(html, params.get("parse_mode"), params.get(entities_key))
        markup = inline_markup(params.get("reply_markup"))
        if (text, entities, markup) == (stored.view.text, stored.entities, stored.markup):
            raise ApiError(400, NOT_MODIFIED)
        if html or key == "text":
            stored.json[key] = text
        else:
            stored.json.pop(key, None)
        self._apply_edit(stored, entities_key, html, text, entities, markup)
        return copy.deepcopy(stored.json)

    async def _edit_message_reply_markup(
        self, params: dict[str, Any], request: WaitingRequest
    ) -> dict[str, Any] | bool:
        stored = self._message_to_edit(params)
        if stored is None:
            return True
        markup = inline_markup(params.get("reply_markup"))
        if markup == stored.markup:
            raise ApiError(400, NOT_MODIFIED)
        view = stored.view
        self._apply_edit(stored, None, view.html, view.text, stored.entities, markup)
        return copy.deepcopy(stored.json)

    def _message_to_edit(self, params: dict[str, Any]) -> StoredMessage | None:
        if params.get("inline_message_id") is not None:
            return None
        chat_id = params.get("chat_id")
        message_id = params.get("message_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat_id = self._target_chat(params)
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _apply_edit(
        self,
        stored: StoredMessage,
        entities_key: str | None,
        html: str,
        text: str,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
    ) -> None:
        if entities_key is not None:
            if entities:
                stored.json[entities_key] = entities
            else:
                stored.json.pop(entities_key, None)
        if markup is not None:
            stored.json["reply_markup"] = markup
        else:
            stored.json.pop("reply_markup", None)
        stored.json["edit_date"] = self._now()
        stored.entities = entities
        stored.markup = markup
        stored.view.html = html
        stored.view.text = text
        stored.view.buttons = button_rows(markup)
        stored.view.edited = True

    async def _delete_message(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        chat_id = self._target_chat(params)
        message_id = params["message_id"]
        if message_id not in self._message_ids.get(chat_id, set()):
            raise ApiError(400, "Bad Request: message to delete not found")
        self._message_ids[chat_id].discard(message_id)
        self._messages.get(chat_id, {}).pop(message_id, None)
        return True

    async def _answer_callback_query(self, params: dict[str, Any], request: WaitingRequest) -> bool:
        if self._open_queries.pop(str(params["callback_query_id"]), None) is None:
            raise ApiError(400, QUERY_TOO_OLD)
        self.callback_answers.append(dict(params))
        return True

    async def _get_file(self, params: dict[str, Any], request: WaitingRequest) -> dict[str, Any]:
        file = self._files.get(str(params["file_id"]))
        if file is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(file.data or b"") > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file.file_id,
            "file_unique_id": file.unique_id,
            "file_size": len(file.data or b""),
            "file_path": f"{file.kind}s/{file.file_id}",
        }


_Method = Callable[[BotApiMethods, dict[str, Any], WaitingRequest], Awaitable[Any]]
_METHODS: dict[str, _Method] = {
    "getupdates": BotApiMethods._get_updates,
    "getme": BotApiMethods._get_me,
    "setwebhook": BotApiMethods._set_webhook,
    "deletewebhook": BotApiMethods._delete_webhook,
    "getwebhookinfo": BotApiMethods._get_webhook_info,
    "setmycommands": BotApiMethods._set_my_commands,
    "getmycommands": BotApiMethods._get_my_commands,
    "deletemycommands": BotApiMethods._delete_my_commands,
    "setchatmenubutton": BotApiMethods._set_chat_menu_button,
    "getchatmenubutton": BotApiMethods._get_chat_menu_button,
    "sendmessage": BotApiMethods._send_message,
    "sendphoto": BotApiMethods._send_photo,
    "senddocument": BotApiMethods._send_document,
    "editmessagetext": BotApiMethods._edit_message_text,
    "editmessagecaption": BotApiMethods._edit_message_caption,
    "editmessagereplymarkup": BotApiMethods._edit_message_reply_markup,
    "deletemessage": BotApiMethods._delete_message,
    "answercallbackquery": BotApiMethods._answer_callback_query,
    "getfile": BotApiMethods._get_file,
}


def _render(
    source: str, parse_mode: Any, explicit_entities: Any
) -> tuple[str, list[dict[str, Any]]]:
    """The text the user sees and its entities. Markdown modes are not parsed here."""
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        parsed = parse_html(source)
        return parsed.text, parsed.entities
    if isinstance(explicit_entities, list):
        return source, explicit_entities
    return source, []


def _image_size(data: bytes | None) -> tuple[int, int]:
    if data and data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 1, 1
