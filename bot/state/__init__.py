"""Conversation state: in-process by default, Redis when configured."""
