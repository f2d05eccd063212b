"""q04 · Join kinds: inner, left, right and full outer, in SQL and in pandas: see README.md."""

import pandas as pd
import sqlalchemy

FILE = "katas/sql/q04_join_kinds/joins.py"


def join_sql(engine: sqlalchemy.Engine, how: str) -> pd.DataFrame:
    """left_t joined to right_t on key, `how` in inner | left | right | full; columns of README.md."""
    raise NotImplementedError(f"join_sql: write it in {FILE}")


def join_pandas(left: pd.DataFrame, right: pd.DataFrame, how: str) -> pd.DataFrame:
    """The same join done by pandas on the two tables read as frames; same rows as join_sql."""
    raise NotImplementedError(f"join_pandas: write it in {FILE}")
