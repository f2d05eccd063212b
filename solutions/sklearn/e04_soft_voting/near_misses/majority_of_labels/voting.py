"""Near miss: predicts by counting each member's own top label (a hard vote) instead of taking the top mean probability."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def build_voting(seed: int = 0):
    """An unfitted soft-voting VotingClassifier over 'rf', 'gbm' and 'lr'."""
    return VotingClassifier(
        estimators=[
            ("rf", RandomForestClassifier(n_estimators=50, random_state=seed)),
            ("gbm", GradientBoostingClassifier(n_estimators=50, random_state=seed)),
            # a linear model needs scaled inputs; the pipeline keeps the scaler inside the member
            ("lr", make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
        ],
        voting="soft",  # average probabilities; 'hard' would count predicted labels
    )


def soft_vote_proba(members, X):
    """Mean of the fitted members' predict_proba(X)."""
    return np.mean([member.predict_proba(X) for member in members], axis=0)


def soft_vote_predict(members, X):
    """The label with the highest mean probability, per row."""
    # each member votes for its own top column; the most frequent column wins
    votes = np.stack([np.argmax(member.predict_proba(X), axis=1) for member in members])
    counts = np.apply_along_axis(np.bincount, 0, votes, minlength=len(members[0].classes_))
    return members[0].classes_[np.argmax(counts, axis=0)]
