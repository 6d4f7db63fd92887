"""Receipts read offline: amounts, dates and who issued and paid, from a photo or a PDF e-invoice."""
from intake.receipts.reader import ReceiptReader, read_bytes, refusal
from intake.receipts.receipt import MEDICAL, Item, Receipt

__all__ = ["MEDICAL", "Item", "Receipt", "ReceiptReader", "read_bytes", "refusal"]
