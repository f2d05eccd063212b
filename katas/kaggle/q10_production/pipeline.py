"""Kata kaggle/q10: train -> artefact + model card -> load -> predict, from the command line. Edit this file."""

from __future__ import annotations

import sys
from pathlib import Path

FILE = "katas/kaggle/q10_production/pipeline.py"


def build_pipeline():
    """An unfitted scikit-learn Pipeline that reads the raw Titanic columns and predicts Survived."""
    raise NotImplementedError(f"build_pipeline: write it in {FILE}")


def train(data_dir: str | Path, model_dir: str | Path) -> dict:
    """Fit on data_dir/train.csv, save model.joblib and model_card.json in model_dir, return the card."""
    raise NotImplementedError(f"train: write it in {FILE}")


def predict(model_dir: str | Path, test_csv: str | Path, out_path: str | Path):
    """Load model_dir/model.joblib, predict every row of test_csv, write the submission to out_path."""
    raise NotImplementedError(f"predict: write it in {FILE}")


def main(argv: list[str] | None = None) -> int:
    """python pipeline.py train DATA_DIR MODEL_DIR | python pipeline.py predict MODEL_DIR TEST_CSV OUT_CSV"""
    raise NotImplementedError(f"main: write it in {FILE}")


if __name__ == "__main__":
    sys.exit(main())
