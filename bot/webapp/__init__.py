"""The Mini App: its page (static/), its JSON API (api.py) over the use cases and the Store,
the check of Telegram's launch parameters (auth.py), the progress chart as SVG (chart.py) and
the tornado handlers that serve them (server.py). Nothing here knows Telegram's Bot API."""
