"""Eligibility pre-screen: the reference rules of DESIGN.md section 5 as code, guidance not decisions."""
from intake.eligibility.programmes import PROGRAMMES, prescreen
from intake.eligibility.results import Check, Outcome, Prescreen, ProgrammeResult
from intake.eligibility.summary import resident_summary

__all__ = ["PROGRAMMES", "Check", "Outcome", "Prescreen", "ProgrammeResult", "prescreen", "resident_summary"]
