"""Replies as Telegram messages: keyboards carry the question counter, long texts are split."""
from __future__ import annotations

from bot.telegram.callbacks import decode_press
from bot.telegram.render import MAX_TEXT, Outgoing, layout, render, split_text, Button
from dialogs.messages import Option, Reply


def test_options_become_buttons_under_the_question():
    replies = [Reply("已记录。"), Reply("您的户籍在哪个区？", (Option("海珠区", "haizhu"), Option("越秀区", "yuexiu")))]
    first, second = render(replies, asked=7)
    assert first == Outgoing("已记录。")
    assert [b.label for row in second.keyboard for b in row] == ["海珠区", "越秀区"]
    assert {decode_press(b.data).asked for row in second.keyboard for b in row} == {7}
    assert [decode_press(b.data).value for row in second.keyboard for b in row] == ["haizhu", "yuexiu"]


def test_long_text_is_split_at_line_breaks_and_buttons_stay_last():
    paragraph = "政策说明" * 200  # 800 characters
    text = "\n".join([paragraph] * 12)
    messages = render([Reply(text, (Option("返回", "_back"),))], asked=1)
    assert len(messages) > 1
    assert all(len(m.text) <= MAX_TEXT for m in messages)
    assert "\n".join(m.text for m in messages) == text
    assert all(not m.keyboard for m in messages[:-1]) and messages[-1].keyboard


def test_split_text_without_line_breaks_cuts_hard():
    chunks = split_text("字" * 9000, limit=4000)
    assert [len(c) for c in chunks] == [4000, 4000, 1000]


def test_empty_reply_sends_nothing():
    assert render([Reply("  ")], asked=0) == []


def test_layout_puts_short_labels_side_by_side():
    short = [Button(label, label) for label in ("是", "否", "不清楚", "跳过")]
    assert [len(row) for row in layout(short)] == [3, 1]
    long = [Button("医疗自付费用（医保报销后）", "m"), Button("教育", "e")]
    assert [len(row) for row in layout(long)] == [1, 1]
