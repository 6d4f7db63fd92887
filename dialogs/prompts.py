"""How a question is shown: progress line, question text, hint and options."""
from __future__ import annotations

from typing import Any

from dialogs import amounts, follow_up
from dialogs.conversation import ConversationView
from dialogs.flows import hardship as flow
from dialogs.messages import Option, Reply
from dialogs.receipts import AMOUNTS
from dialogs.steps import Step, get_answer
from dialogs.summary import show_value



def option_values(conversation: ConversationView, step: Step) -> list[str]:
    """The values a choice step accepts."""
    if step.id == "applicant.district":
        return [*conversation.ctx.districts, "outside"]
    if step.kind == "yesno":
        return ["yes", "no"]
    return list(step.options)


def option_label(conversation: ConversationView, step: Step, value: str) -> str:
    """The label shown for an option value, in the conversation's language."""
    if step.id == "applicant.district" and value in conversation.ctx.districts:
        labels = conversation.ctx.districts[value]
        return labels.get(conversation.locale, labels.get("zh", value))
    if step.kind == "yesno":
        return conversation.t(f"opt.{value}")
    return conversation.t(f"opt.{step.field}.{value}")


def earlier_answer(conversation: ConversationView, step: Step) -> Any:
    """The answer a resident gave before coming back to this question with "back", or None."""
    state = conversation.state
    if not state.get("revisit") or step.control or state["flow"] == "more_info":
        return None
    return get_answer(conversation.answers, step, state["item"])


def channel_family(channel: str | None) -> str:
    """How files are attached depends on the kind of channel: "api:partner" -> "api"."""
    family = (channel or "api").split(":", 1)[0]
    family = "phone" if family == "station" else family  # staff at a station use the phone page too
    return family if family in ("telegram", "web", "terminal", "phone") else "api"


def section_line(conversation: ConversationView, section: int) -> str:
    if section < 1:
        return ""
    name = conversation.t(f"section.{section}")
    return conversation.t("progress", n=section, total=flow.SECTIONS, name=name) + "\n"


def _confirm_amount(conversation: ConversationView, step: Step) -> Reply:
    """每月5,000元，一年约60,000元，对吗？ — an amount said for another period, before it is stored."""
    text = section_line(conversation, step.section) + amounts.confirmation(conversation.locale, step,
                                                                           conversation.state["amount"])
    options = [Option(conversation.t("opt.amount.yes"), "yes"), Option(conversation.t("opt.amount.no"), "no")]
    if conversation.state["history"]:
        options.append(Option(conversation.t("opt.back"), "_back"))
    return Reply(text, tuple(options))


def ask_reply(conversation: ConversationView, step: Step) -> Reply:
    """The reply that asks `step`."""
    state, t = conversation.state, conversation.t
    item = state["item"]
    number = (item or 0) + 1
    if step.kind == "money" and state["pending"] == "period" and state.get("amount"):
        return _confirm_amount(conversation, step)
    text = section_line(conversation, step.section) + t(f"q.{step.id}", n=number)
    if state["flow"] == "more_info" and step.id != "more_info.documents":
        text = t("more_info.item") + "\n" + t(f"q.{step.id}", n=number)
    hint = t(f"hint.{step.id}", n=number, default="")
    if hint:
        text += "\n" + hint
    if step.kind == "money" and step.period and state["pending"] != "estimate":
        text += "\n" + t(f"hint.money.{step.period}")
    if step.kind == "money" and state["pending"] == "estimate":
        text += "\n" + t("estimate.ask")
    options: list[Option] = []
    if step.kind in ("choice", "yesno", "multi"):
        picked = state.get("picked") or []
        for value in option_values(conversation, step):
            label = option_label(conversation, step, value)
            options.append(Option(("✓ " + label) if value in picked else label, value))
        if step.kind == "multi":
            text += "\n" + t("multi.how")
            if picked:
                text += "\n" + t("multi.picked", items=t("list_sep").join(option_label(conversation, step, v) for v in picked))
            options += [Option(t("opt.done"), "_done"), Option(t("opt.none"), "_none")]
    elif step.kind == "summary":
        options = [Option(t("opt.summary.confirm"), "confirm"), Option(t("opt.summary.edit"), "edit"),
                   Option(t("opt.summary.cancel"), "_cancel")]
    elif step.kind == "files":
        text += "\n" + t(f"files.attach.{channel_family(conversation.ctx.channel)}")
        sent = state["flow"] == "more_info" and conversation.answers.get(step.id) \
            or state["flow"] != "more_info" and get_answer(conversation.answers, step, item)
        if sent or not step.optional:
            options.append(Option(t("opt.files.done"), "_done"))
        else:
            options.append(Option(t("opt.files.skip"), "_skip"))
    elif step.kind == "money":
        options.append(Option(t("opt.unknown"), "_unknown"))
        if step.id in AMOUNTS and state["flow"] != "more_info":
            text += "\n" + t("receipt.photo_hint")  # a receipt sent here is read and its amount offered
    if (kept := earlier_answer(conversation, step)) is not None:
        shown = show_value(step, kept, conversation.locale, conversation.ctx.districts)
        text += "\n" + t("back.earlier", value=shown)
        options.insert(0, Option(t("opt.keep"), "_keep"))
    if state.get("held") and step.kind == "text":
        options.insert(0, Option(t("opt.use_as_answer"), "_use"))
        text += "\n" + t("question.or_answer")
    if step.kind in follow_up.LEAVABLE_KINDS and state["flow"] != "more_info" and (
            step.kind == "id_number" or state.get("tries", 0) >= follow_up.TRIES_BEFORE_OFFER):
        options.append(Option(t("opt.leave"), "_leave"))
    if step.optional and step.kind != "files":
        options.append(Option(t("opt.skip"), "_skip"))
    if state["history"] and step.kind != "summary":
        options.append(Option(t("opt.back"), "_back"))
    return Reply(text, tuple(options))
