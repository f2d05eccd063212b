"""q03 · Reading plans: the costliest node and the row misestimates: see README.md."""

FILE = "katas/sql/q03_reading_plans/plans.py"


def costliest_node(document: dict) -> dict:
    """The plan node with the largest own (exclusive) time: {"node_type", "relation", "self_time_ms"}."""
    raise NotImplementedError(f"costliest_node: write it in {FILE}")


def misestimates(document: dict, factor: float = 10.0) -> list[dict]:
    """Nodes whose estimated and actual rows differ by at least `factor` (either way), depth first."""
    raise NotImplementedError(f"misestimates: write it in {FILE}")
