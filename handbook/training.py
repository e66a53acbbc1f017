"""The new-hire training pages (reading path, quizzes): generated from data/questions/ (issue 5)."""

from __future__ import annotations


def pages(renderer) -> list:
    """Generated pages for ``renderer``'s language; none until the training front end lands."""
    return []
