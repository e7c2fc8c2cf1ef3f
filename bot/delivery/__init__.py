"""Scheduled delivery: the tick that finds due messages, and the pacing of every send."""
