"""Deliver: the built digest by email (SMTP) and to a git-backed wiki."""
