"""Residents on Telegram: aiogram and python-telegram-bot runtimes over the same dialog runner."""
from bot.telegram.startup import BotHandle, start_bot

__all__ = ["BotHandle", "start_bot"]
