"""Near miss: concatenates the keyless rows without ignore_index=True: their original labels repeat the
merged rows' 0..k-1, so the index is not the default 0..n-1.

q04 · Join kinds: inner, left, right and full outer, in SQL and in pandas (reference solution)."""

import pandas as pd
import sqlalchemy

# A fixed mapping: the argument picks a keyword, it is never pasted into the SQL.
SQL_KINDS = {"inner": "INNER JOIN", "left": "LEFT JOIN", "right": "RIGHT JOIN", "full": "FULL OUTER JOIN"}
PANDAS_KINDS = {"inner": "inner", "left": "left", "right": "right", "full": "outer"}
COLUMNS = ["left_id", "right_id", "lval", "rval"]


def join_sql(engine: sqlalchemy.Engine, how: str) -> pd.DataFrame:
    """left_t joined to right_t on key, `how` in inner | left | right | full; columns of README.md."""
    if how not in SQL_KINDS:
        raise ValueError(f"how must be one of {sorted(SQL_KINDS)}, got {how!r}")
    query = f"""
        SELECT l.id AS left_id, r.id AS right_id, l.lval, r.rval
        FROM left_t AS l
        {SQL_KINDS[how]} right_t AS r ON l.key = r.key
    """
    return pd.read_sql_query(sqlalchemy.text(query), engine)


def join_pandas(left: pd.DataFrame, right: pd.DataFrame, how: str) -> pd.DataFrame:
    """The same join done by pandas on the two tables read as frames; same rows as join_sql."""
    if how not in PANDAS_KINDS:
        raise ValueError(f"how must be one of {sorted(PANDAS_KINDS)}, got {how!r}")
    # pandas would match missing keys with each other; SQL never does. Merge only rows that have a key...
    keyed_left, keyed_right = left[left["key"].notna()], right[right["key"].notna()]
    merged = keyed_left.merge(keyed_right, on="key", how=PANDAS_KINDS[how], suffixes=("_left", "_right"))
    merged = merged.rename(columns={"id_left": "left_id", "id_right": "right_id"})[COLUMNS]
    # ... then add the keyless rows back as unmatched rows where the join kind keeps that side.
    extra = []
    if how in ("left", "full"):
        extra.append(left[left["key"].isna()].rename(columns={"id": "left_id"}).reindex(columns=COLUMNS))
    if how in ("right", "full"):
        extra.append(right[right["key"].isna()].rename(columns={"id": "right_id"}).reindex(columns=COLUMNS))
    return pd.concat([merged, *extra]) if extra else merged.reset_index(drop=True)
