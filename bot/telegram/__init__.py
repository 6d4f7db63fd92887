"""Residents on Telegram: aiogram and python-telegram-bot runtimes over the same dialog runner.

The app starts the bot with `bot.telegram.startup.start_bot(settings, services)`.
"""
