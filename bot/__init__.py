"""Outreach Coach: application, settings, scheduling and the coaching rules."""
