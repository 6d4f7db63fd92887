"""A caseworker's request for more information: the conversation reopens exactly the items asked."""
from __future__ import annotations

from typing import Any

from dialogs.flows import hardship as flow
from dialogs.messages import SubmitMoreInfo
from dialogs.state import to_idle


class Requests:
    """Part of `Conversation`: asking the requested items and handing the answers back."""

    state: dict[str, Any]
    answers: dict[str, Any]

    def reopen(self, data: dict[str, Any]) -> None:
        items = [i for i in data.get("items", []) if i in flow.REOPENABLE]
        if not items:
            return
        if self.state["flow"] == "more_info":
            pass  # a newer request replaces the open one; what was stashed before stays stashed
        elif self.state["flow"] is not None or self.state["cancelled"]:
            self.state["stash"] = {key: self.state[key] for key in
                                   ("flow", "step", "item", "answers", "history", "edit", "cancelled", "reopen")}
        self.state.update(flow="more_info", answers={}, history=[], edit=None, pending=None, cancelled=None,
                          verified=None, reopen={"intake_id": data.get("intake_id"), "items": items, "index": 0,
                                  "note": data.get("note")})
        self.say("more_info.intro", n=data.get("intake_id"), note=data.get("note") or "-")
        self.go(reopen_step(items[0]), remember=False)
        self.ask()

    def next_reopened(self) -> None:
        reopen = self.state["reopen"]
        reopen["index"] += 1
        if reopen["index"] < len(reopen["items"]):
            self.go(reopen_step(reopen["items"][reopen["index"]]))
            return self.ask()
        answers = {("documents" if k == "more_info.documents" else k): v for k, v in self.answers.items()}
        self.effects.append(SubmitMoreInfo(reopen["intake_id"], answers, self.locale))

    def restore_stash(self) -> None:
        stash, self.state["stash"] = self.state["stash"], None
        to_idle(self.state)
        if stash:
            self.state.update(stash)


def reopen_step(item: str) -> str:
    return "more_info.documents" if item == "documents" else item
