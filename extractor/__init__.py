"""Extraction of Chinese government budget disclosures into validated, reviewable records."""

__version__ = "0.1.0"
