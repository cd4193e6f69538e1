"""A new edition of the document: read it, compare it with the data in use, build the next data."""
from knowledge.edition.parse import parse_edition

__all__ = ["parse_edition"]
