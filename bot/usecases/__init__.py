"""Use cases: each thing a user can do, and each scheduled message, as one async function.

A use case takes the store, the user, `now` (read once per update or tick) and a typed input,
and returns a typed answer (text and button specs from `replies`), never a Telegram object.
Handlers, the scheduler and the terminal chat all reach the coach through these functions.
"""
