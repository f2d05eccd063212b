"""Near miss: forgets Actual Loops: a nested loop's inner side looks cheap.

q03 · Reading plans: the costliest node and the row misestimates (reference solution)."""

from collections.abc import Iterator


def _walk(node: dict) -> Iterator[dict]:
    """Depth first, parents before children."""
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _self_time(node: dict) -> float:
    # Actual Total Time is per loop and includes the children: total over loops, minus the children's totals.
    total = node["Actual Total Time"]
    total -= sum(child["Actual Total Time"] for child in node.get("Plans", []))
    return max(total, 0.0)  # timings are rounded: never report a negative own time


def costliest_node(document: dict) -> dict:
    """The plan node with the largest own (exclusive) time: {"node_type", "relation", "self_time_ms"}."""
    best = max(_walk(document["Plan"]), key=_self_time)  # max() keeps the first of equal keys
    return {
        "node_type": best["Node Type"],
        "relation": best.get("Relation Name"),
        "self_time_ms": _self_time(best),
    }


def misestimates(document: dict, factor: float = 10.0) -> list[dict]:
    """Nodes whose estimated and actual rows differ by at least `factor` (either way), depth first."""
    found = []
    for node in _walk(document["Plan"]):
        if node["Actual Loops"] == 0:  # never executed: PostgreSQL still lists it, with Actual Rows 0
            continue
        estimated, actual = node["Plan Rows"], node["Actual Rows"]
        # Both are per loop; over- and under-estimates count alike.
        ratio = max(estimated, actual) / max(min(estimated, actual), 1)
        if ratio >= factor:
            found.append(
                {
                    "node_type": node["Node Type"],
                    "relation": node.get("Relation Name"),
                    "plan_rows": estimated,
                    "actual_rows": actual,
                    "ratio": float(ratio),
                }
            )
    return found
