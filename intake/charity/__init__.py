"""Charity referral: a programme catalogue and the matching that ranks it for a household."""
from intake.charity.catalogue import Catalogue, CatalogueError, CharityProgramme, load_catalogue
from intake.charity.matching import Match, household_needs, household_traits, match_programmes

__all__ = [
    "Catalogue", "CatalogueError", "CharityProgramme", "Match",
    "household_needs", "household_traits", "load_catalogue", "match_programmes",
]
