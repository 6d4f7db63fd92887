"""Reading an application record (docs/application.md) as items: answers, people, attachments."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

# Documents a caseworker asked for after submission; kept beside the record, listed as attachments.
DOCUMENTS = "documents"


def _is_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        # a Money (with what the resident said, when they named a period), or an empty group, is one answer
        return not value or set(value) in ({"amount", "estimated"}, {"amount", "estimated", "said"})
    if isinstance(value, list):
        return not value or all(not isinstance(v, dict | list) for v in value)
    return True


def answer_items(application: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every answer of the record as (path, value): "applicant.phone", "members.0.name", "income.wages"."""
    for key, value in application.items():
        path = f"{prefix}{key}"
        if _is_leaf(value):
            yield path, value
        elif isinstance(value, dict):
            yield from answer_items(value, path + ".")
        else:
            for index, element in enumerate(value):
                if _is_leaf(element):
                    yield f"{path}.{index}", element
                else:
                    yield from answer_items(element, f"{path}.{index}.")


def expand(answers: dict[str, Any]) -> dict[str, Any]:
    """Turn dotted keys ("applicant.phone") into the nested shape of the record."""
    nested: dict[str, Any] = {}
    for key, value in answers.items():
        *heads, last = key.split(".")
        target = nested
        for head in heads:
            target = target.setdefault(head, {})
        target[last] = value
    return nested


def merge(application: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The record with `answers` (nested or dotted keys) laid over it; new documents are appended."""
    merged = copy.deepcopy(application)
    update = expand(answers)
    documents = update.pop(DOCUMENTS, None) or []
    _merge_into(merged, update)
    if documents:
        merged[DOCUMENTS] = [*(merged.get(DOCUMENTS) or []), *copy.deepcopy(documents)]
    return merged


def _merge_into(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and not _is_leaf(value):
            _merge_into(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def id_numbers(application: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(role, ID number) for the applicant and every member that has one."""
    applicant = application.get("applicant")
    if isinstance(applicant, dict) and isinstance(applicant.get("id_number"), str):
        yield "applicant", applicant["id_number"]
    for member in application.get("members") or []:
        if isinstance(member, dict) and isinstance(member.get("id_number"), str):
            yield "member", member["id_number"]


def attachments(application: dict[str, Any]) -> Iterator[tuple[int | None, dict[str, Any]]]:
    """(expense index, file) for every receipt, then (None, file) for every later document.

    Spending asked by category keeps one list of receipts: they all point at index 0.
    """
    spending = application.get("spending")
    for receipt in (spending.get("receipts") or []) if isinstance(spending, dict) else []:
        if isinstance(receipt, dict) and receipt.get("file_id"):
            yield 0, receipt
    for index, expense in enumerate(application.get("expenses") or []):
        if isinstance(expense, dict):
            for receipt in expense.get("receipts") or []:
                if isinstance(receipt, dict) and receipt.get("file_id"):
                    yield index, receipt
    for document in application.get(DOCUMENTS) or []:
        if isinstance(document, dict) and document.get("file_id"):
            yield None, document


def attribute(entered: dict[str, str], before: dict[str, Any] | None, after: dict[str, Any] | None,
              staff_id: str | None) -> None:
    """Note in `entered` who gave each answer that this turn added or changed (staff only; the resident is the default)."""
    old = dict(answer_items(before or {}))
    for path, value in answer_items(after or {}):
        if path in old and old[path] == value:
            continue
        if staff_id:
            entered[path] = staff_id
        else:
            entered.pop(path, None)
