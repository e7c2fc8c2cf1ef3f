"""Domain errors whose message is safe to show to the user as it is."""


class InputError(ValueError):
    """Input the bot cannot use; the message is a short, friendly explanation for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LimitReached(InputError):
    """A per-chat limit that keeps one chat's data bounded; nothing was stored."""
