"""Coaching rules: plain functions of plain data and `now`, with no Telegram or SQL."""
