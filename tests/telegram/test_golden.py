"""The golden application on Telegram: both runtimes, polling and webhook, ending in the caseworker queue."""
from __future__ import annotations

import pytest

from dialogs.flows import hardship as flow
from dialogs.texts import t
from tests import golden
from tests.conftest import REDIS_URL, require_service
from tests.telegram.harness import (
    TelegramResident, check_telegram_application, free_socket, serving, telegram_settings,
)

CHAT = 700001


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_golden_application_reaches_the_queue(tmp_path, fake, redis_prefix, runtime, mode):
    sock = free_socket()
    if mode == "webhook":
        # Webhook mode is the scale-out set-up: state in Redis.
        require_service("Redis", "127.0.0.1", 6379)
        settings = telegram_settings(tmp_path, fake, runtime=runtime, webhook_port=sock.getsockname()[1],
                                     redis_url=REDIS_URL, redis_prefix=redis_prefix)
    else:
        settings = telegram_settings(tmp_path, fake, runtime=runtime)
    async with serving(settings, sock) as app:
        services = app.state.services
        resident = TelegramResident(fake, CHAT)
        await resident.replay(golden.steps())
        if mode == "webhook":
            assert fake.webhook["url"] == settings.webhook_url and fake.webhook["secret_token"]
        else:
            assert fake.webhook is None and fake.confirmed >= max(fake.delivered)

        [summary] = await services.intakes.list_for_user("telegram", str(CHAT))
        assert str(summary.id) in resident.said()
        record = await services.intakes.get(summary.id)
        check_telegram_application(record.application)
        assert [a.content_type for a in record.attachments] == ["image/jpeg", "image/png"]
        assert all(services.files.path(a.file_id) is not None for a in record.attachments)
        await services.queue.relay()
        entry = await services.queue.claim_next("caseworker-1")
        assert entry is not None and entry.intake_id == summary.id
        # The resident can follow it from the chat.
        await resident.text("/status")
        assert t("zh", "status.title") in resident.said() and str(summary.id) in resident.said()

    # Every press was answered; a press that closed a question left it showing the chosen answer without
    # buttons; a tick at a pick-several question redrew that question in place; one keyboard is left.
    presses = sum(1 for kind, _ in golden.steps() if kind == "option")
    ticking = {value for step in flow.STEPS if step.kind == "multi" for value in step.options}
    ticks = sum(1 for kind, value in golden.steps() if kind == "option" and value in ticking)
    assert len([c for c in fake.calls_to("answerCallbackQuery") if c.status == 200]) == presses
    edits = [c for c in fake.calls_to("editMessageText", CHAT) if c.status == 200]
    assert len([c for c in edits if "\n✓ " in c.params["text"]]) == presses - ticks
    assert len([c for c in edits if "\n✓ " not in c.params["text"]]) == ticks
    still_pressable = [m["message_id"] for m in fake.bot_messages(CHAT) if m.get("reply_markup")]
    assert len(still_pressable) <= 1
    assert {c.params.get("language_code") for c in fake.calls_to("setMyCommands")} == {None, "zh", "en"}
