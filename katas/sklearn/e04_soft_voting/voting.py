"""Kata sklearn/e04: soft voting by hand and with VotingClassifier. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/e04_soft_voting/voting.py"


def build_voting(seed: int = 0):
    """An unfitted soft-voting VotingClassifier over 'rf', 'gbm' and 'lr' (see the README)."""
    raise NotImplementedError(f"build_voting: write it in {FILE}")


def soft_vote_proba(members, X):
    """Mean of the fitted members' predict_proba(X)."""
    raise NotImplementedError(f"soft_vote_proba: write it in {FILE}")


def soft_vote_predict(members, X):
    """The label with the highest mean probability, per row."""
    raise NotImplementedError(f"soft_vote_predict: write it in {FILE}")
