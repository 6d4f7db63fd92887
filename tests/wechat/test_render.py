"""Replies as WeChat texts: within 2,048 bytes, options numbered and tappable, the question never lost."""
from __future__ import annotations

from bot.wechat.render import MAX_BYTES, Numbered, render
from dialogs.messages import Option, Reply
from tests.wechat.fake_wechat import links


def test_short_replies_are_packed_into_one_message_with_tappable_options():
    [message] = render([Reply("好的。"), Reply("您同意吗？", (Option("同意", "agree"), Option("不同意", "no")))], asked=7)
    assert message.startswith("好的。\n\n您同意吗？\n1. ")
    assert links(message) == [("同意", "7:agree", "同意"), ("不同意", "7:no", "不同意")]


def test_a_long_text_is_cut_and_the_question_stays_with_its_options():
    long = "\n".join(f"第{n}条：" + "说明文字" * 20 for n in range(60))
    messages = render([Reply(long + "\n请选择：", (Option("是", "yes"), Option("否", "no")))], asked=3)
    assert len(messages) > 2 and all(len(m.encode()) <= MAX_BYTES for m in messages)
    assert messages[-1].count("请选择：") == 1 and links(messages[-1])
    assert "".join(messages).count("说明文字") == 60 * 20  # nothing lost on the way


def test_many_options_fall_back_to_numbers_when_links_would_not_fit():
    options = tuple(Option(f"选项{n}" * 8, f"value{n}") for n in range(30))
    [message] = render([Reply("选哪一个？", options)], asked=1)
    assert len(message.encode()) <= MAX_BYTES and not links(message) and "30. " in message


def test_characters_that_would_break_a_link_are_left_out_of_what_it_sends():
    [message] = render([Reply("？", (Option('A&B "x"', "ab"),))], asked=None)
    [(content, menu_id, label)] = links(message)
    assert "&" not in content and '"' not in content and menu_id == "-:ab" and label == 'A&B "x"'


def test_a_typed_number_picks_the_numbered_option():
    numbered = Numbered(4, ("agree", "no"))
    assert numbered.pick("2") == "no" and numbered.pick(" 1。") == "agree"
    assert numbered.pick("3") is None and numbered.pick("二") is None
