"""Local tools: the Bot API emulator and the terminal chat built on it."""
