"""`python -m graders mutate`: mutation testing of each kata's reference solution against the kata's tests.

A mutant is the reference solution with one small, plausible change (`<` for `<=`, a dropped `how=`, a removed
statement, a LEFT JOIN turned INNER). The kata's tests run against it through the implementation switch; a test
that fails kills it. A mutant that passes every test survives: either a test is missing, or the mutant is
equivalent (no correct test can tell it from the solution) and `solutions/<topic>/<kata>/mutants.toml` says why
in one line under `[equivalent]`. `verify` fails while a committed survivor is unexplained.

Operators. mutmut (3.8) keeps its operators in `mutmut/mutation/mutators.py` on libcst, and cosmic-ray (8.7) in
`cosmic_ray/operators/` on parso; both are on PyPI and were read for this module. Importing either is not
practical here: neither is a dependency of the project, and importing mutmut's operators runs
`mutmut/__init__.py` (its configuration and state; the wheel requires click, coverage, setproctitle, textual),
cosmic-ray's pull in stevedore, sqlalchemy, gitpython, aiohttp; neither mutates SQL held in strings. So this is
a compact generator on the standard library's `ast` that follows mutmut's operator set, with cosmic-ray's
exception and decorator operators and the ones issue 18 names added:

- comparisons: `<`<->`<=`, `>`<->`>=`, `==`<->`!=`, `is`<->`is not`, `in`<->`not in` (mutmut's boundary swaps)
- arithmetic and bit operators: `+`<->`-`, `*`<->`/`, `//`->`/`, `%`->`/`, `**`->`*`, `<<`<->`>>`, `&`<->`|`,
  `^`->`&`, the same for `+=` ..., and `x += y` -> `x = y`; boolean `and`<->`or`; `not`, `~`, unary `-` removed
- constants: numbers +1, -1 and 0; True<->False; strings wrapped in "XX" (mutmut), or swapped within a family
  ("left"/"inner"/"right"/"outer", "first"/"last", "min"/"max", ...); parameter defaults -> None
- calls: each keyword argument dropped, adjacent positional arguments swapped, `obj.method(...)` -> `obj` and
  `f(x, ...)` -> `x` (a call removed), method and function names swapped within a family (`lower`/`upper`,
  `min`/`max`, `head`/`tail`, `ffill`/`bfill`, `nsmallest`/`nlargest`, `deepcopy`/`copy`, ...)
- statements: a call, an assignment to an attribute, an item or a name bound before, an `if`, a loop, a
  `raise`, an `assert` or a `del` removed; `break` -> `return`, `continue` -> `break`; an early return (a
  function without a return value returns before each statement; one that ends `return x` returns `x` before
  each statement after `x` is first assigned)
- branches: `a if c else b` -> `a` and -> `b`; a comprehension's `if` filter -> True; a lambda's body -> None;
  `except E:` -> `except ():` (never catches); `raise X from err` loses its cause; a decorator removed
- SQL, in Python strings that start with a statement keyword and in `.sql` learner files: join kinds swapped
  (LEFT<->INNER, RIGHT/FULL -> LEFT and INNER), `<`<->`<=`, `>`<->`>=`, each ORDER BY / PARTITION BY term
  dropped (the clause when it has one term), an ORDER BY term's direction flipped, DISTINCT dropped,
  UNION<->UNION ALL, IS NULL<->IS NOT NULL, MIN<->MAX, ROW_NUMBER/RANK/DENSE_RANK, LAG<->LEAD, integers +1 and -1.

Left alone: docstrings, annotations, imports, f-strings (their inner positions are unreliable before 3.12),
exception messages (a README rarely fixes their wording), and given code: a top-level function or constant
that the stub already holds unchanged (a reference the README says not to touch) is not the learner's work. Each mutant is spliced into the original text at the
node's position, so comments and layout survive and a survivor's diff is the change alone; the result is parsed
again and must equal the intended tree, else the mutant is dropped.

Sampling and cost. A kata gets min(40, max(8, 80 / budget_median_s)) mutants (the topic's `topic.toml`
budget), a deterministic sample: the lowest mutant ids, stable while the rest of the file changes. Per round,
one mutant of each kata of a topic is laid out in a folder like `solutions/` and one pytest process runs them
all with `--katas-fail-fast` (as verify runs near misses); `--jobs` rounds run in parallel. Measured on the
2-core machine (shared with other work) for python_pandas: 470 mutants of 15 katas in 332 s with 2 jobs, 0.71 s
wall per mutant (0.25 s of CPU). The caps give 2510 mutants over the 120 katas (python_pandas 503, sklearn 378,
tensorflow 120, pytorch 192, sql 315, data_engineering 300, deployment 312, kaggle 390); scaling the measured
cost by each topic's budget_median_s estimates a full first run at about 50 minutes with 2 jobs.

Results are cached by (solution hash, tests hash, mutant) in `.katas/mutate-cache.json` and in the committed
`mutants.toml` files, so a second run only runs what changed.
"""

from __future__ import annotations

import ast
import copy
import difflib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graders import sandbox
from graders.catalog import NEAR_MISSES, Kata, topic_meta
from graders.runner import TestResult, run_pytest

RESULTS = "mutants.toml"
CACHE = Path(".katas") / "mutate-cache.json"
MAX_MUTANTS = 40
MIN_MUTANTS = 8
# A kata gets SAMPLE_SECONDS / (its topic's budget_median_s) mutants, clamped to [MIN_MUTANTS, MAX_MUTANTS]:
# 120 katas then fit in about an hour on 2 cores (a killed mutant costs a fraction of a full test run).
SAMPLE_SECONDS = 80
BAD = ("failed", "error", "timeout")


# --- mutants ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    file: str  # the learner file changed
    line: int  # first changed line, 1-based
    operator: str  # what changed, in words
    text: str  # the whole mutated file
    id: str  # stable: the file, the operator and the changed lines, not the rest of the file

    def diff(self, original: str, label: str) -> str:
        lines = difflib.unified_diff(
            original.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=label,
            tofile=f"{label} (mutant {self.id})",
            n=1,
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class _Edit:
    start: int  # byte offsets into the original file
    end: int
    text: str
    operator: str
    expect: Callable[[ast.Module], None] | None = None  # applies the intended change to a copy of the tree
    fallback: tuple[int, int, str] | None = None  # a second splice to try (the expression, parenthesised)


def mutants_of(source: str, file: str, given: str | None = None) -> list[Mutant]:
    """Every distinct mutant of one learner file (Python or SQL; other files have none).

    `given` is the stub: its top-level statements that the solution holds unchanged (a reference function the
    README says not to touch, a constant) are code the learner does not write, and are left alone.
    """
    if file.endswith(".py"):
        edits, check = _PythonMutator(source, given).edits(), True
    elif file.endswith(".sql"):
        edits, check = [_Edit(s, e, t, op) for s, e, t, op in _sql_edits(source, base=0)], False
    else:
        return []
    data = source.encode("utf-8")
    tree_dump = ast.dump(ast.parse(source)) if check else ""
    seen: set[str] = {source}
    keys: dict[str, int] = {}
    out: list[Mutant] = []
    for edit in edits:
        text = _apply(data, edit, tree_dump if check else None, source if check else None)
        if text is None or text in seen:
            continue
        seen.add(text)
        before, after, line = _changed_lines(source, text)
        key = f"{file}\n{edit.operator}\n{before}\n{after}"
        keys[key] = keys.get(key, 0) + 1
        ident = hashlib.sha1(f"{key}\n{keys[key]}".encode()).hexdigest()[:12]
        out.append(Mutant(file, line, edit.operator, text, ident))
    return out


def _apply(data: bytes, edit: _Edit, tree_dump: str | None, source: str | None) -> str | None:
    options = [(edit.start, edit.end, edit.text)] + ([edit.fallback] if edit.fallback is not None else [])
    if tree_dump is None:
        return (data[: edit.start] + edit.text.encode() + data[edit.end :]).decode("utf-8")
    assert source is not None and edit.expect is not None
    expected = ast.parse(source)
    try:
        edit.expect(expected)
        want = ast.dump(expected)
    except Exception:  # noqa: BLE001 - a generator bug must cost one mutant, not the run
        return None
    if want == tree_dump:
        return None
    for start, end, option in options:
        text = (data[:start] + option.encode() + data[end:]).decode("utf-8", errors="replace")
        try:
            tree = ast.parse(text)
            compile(tree, "<mutant>", "exec")
        except (SyntaxError, ValueError):
            continue
        if ast.dump(tree) == want:
            return text
    return None


def _changed_lines(before: str, after: str) -> tuple[str, str, int]:
    old, new = before.splitlines(), after.splitlines()
    first = 0
    while first < min(len(old), len(new)) and old[first] == new[first]:
        first += 1
    tail = 0
    while tail < min(len(old), len(new)) - first and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    norm = lambda lines: " ".join(x.strip() for x in lines)  # noqa: E731
    return norm(old[first : len(old) - tail]), norm(new[first : len(new) - tail]), first + 1


# --- Python operators -----------------------------------------------------------------------------------------

_COMPARE = {
    ast.Lt: (ast.LtE, "<", "<="),
    ast.LtE: (ast.Lt, "<=", "<"),
    ast.Gt: (ast.GtE, ">", ">="),
    ast.GtE: (ast.Gt, ">=", ">"),
    ast.Eq: (ast.NotEq, "==", "!="),
    ast.NotEq: (ast.Eq, "!=", "=="),
    ast.Is: (ast.IsNot, "is", "is not"),
    ast.IsNot: (ast.Is, "is not", "is"),
    ast.In: (ast.NotIn, "in", "not in"),
    ast.NotIn: (ast.In, "not in", "in"),
}
_COMPARE_TOKEN = re.compile(r"is\s+not\b|not\s+in\b|\bis\b|\bin\b|<=|>=|==|!=|<|>")
_BINARY = {
    ast.Add: (ast.Sub, "+", "-"),
    ast.Sub: (ast.Add, "-", "+"),
    ast.Mult: (ast.Div, "*", "/"),
    ast.Div: (ast.Mult, "/", "*"),
    ast.FloorDiv: (ast.Div, "//", "/"),
    ast.Mod: (ast.Div, "%", "/"),
    ast.Pow: (ast.Mult, "**", "*"),
    ast.LShift: (ast.RShift, "<<", ">>"),
    ast.RShift: (ast.LShift, ">>", "<<"),
    ast.BitAnd: (ast.BitOr, "&", "|"),
    ast.BitOr: (ast.BitAnd, "|", "&"),
    ast.BitXor: (ast.BitAnd, "^", "&"),
}
_BINARY_TOKEN = re.compile(r"\*\*|//|<<|>>|[-+*/%&|^@]")
# Names swapped within a family: methods, functions and string values (how=, keep=, agg names ...).
_NAME_SWAPS = {
    "lower": "upper", "upper": "lower", "lstrip": "rstrip", "rstrip": "lstrip", "find": "rfind",
    "rfind": "find", "index": "rindex", "rindex": "index", "ljust": "rjust", "rjust": "ljust",
    "partition": "rpartition", "rpartition": "partition", "removeprefix": "removesuffix",
    "removesuffix": "removeprefix", "startswith": "endswith", "endswith": "startswith",
    "min": "max", "max": "min", "any": "all", "all": "any", "idxmin": "idxmax", "idxmax": "idxmin",
    "argmin": "argmax", "argmax": "argmin", "head": "tail", "tail": "head", "nsmallest": "nlargest",
    "nlargest": "nsmallest", "ffill": "bfill", "bfill": "ffill", "floor": "ceil", "ceil": "floor",
    "cummin": "cummax", "cummax": "cummin", "first": "last", "last": "first", "deepcopy": "copy",
    "mean": "median", "median": "mean", "sum": "mean", "nunique": "count", "count": "size",
    "appendleft": "append", "popleft": "pop", "extendleft": "extend",
}  # fmt: skip
_VALUE_SWAPS = {
    "left": "inner", "inner": "left", "right": "left", "outer": "inner", "cross": "inner",
    "first": "last", "last": "first", "min": "max", "max": "min", "sum": "mean", "mean": "median",
    "median": "mean", "count": "size", "size": "count", "nunique": "count", "any": "all", "all": "any",
    "index": "columns", "columns": "index", "ffill": "bfill", "bfill": "ffill", "forward": "backward",
    "backward": "forward", "one_to_one": "many_to_many", "one_to_many": "many_to_many",
    "many_to_one": "many_to_many", "1:1": "m:m", "1:m": "m:m", "m:1": "m:m", "ignore": "raise",
    "raise": "ignore", "coerce": "raise", "average": "min", "dense": "min", "ascending": "descending",
}  # fmt: skip
_SQL_START = re.compile(
    r"^\s*(?:--[^\n]*\n\s*)*(?:select|with|insert|update|delete|create|alter|drop|explain|merge|copy|"
    r"truncate|begin|values)\b",
    re.IGNORECASE,
)
_SQL_BODY = re.compile(r"\b(from|into|table|set|index|view|values|join|where)\b", re.IGNORECASE)


def _is_sql(text: str) -> bool:
    return bool(_SQL_START.match(text)) and bool(_SQL_BODY.search(text))


class _PythonMutator:
    def __init__(self, source: str, given: str | None = None):
        self.source = source
        self.data = source.encode("utf-8")
        self.tree = ast.parse(source)
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.skip: set[int] = set()
        self._mark_skipped(self.tree)
        try:
            stub = {ast.dump(s) for s in ast.parse(given).body} if given else set()
        except SyntaxError:
            stub = set()
        for statement in self.tree.body:
            if ast.dump(statement) in stub:
                self.skip.update(id(n) for n in ast.walk(statement))
        self.out: list[_Edit] = []

    # positions ---------------------------------------------------------------------------------------------

    def start(self, node: ast.AST) -> int:
        return self.starts[node.lineno - 1] + node.col_offset

    def end(self, node: ast.AST) -> int:
        return self.starts[node.end_lineno - 1] + node.end_col_offset

    def segment(self, node: ast.AST) -> str:
        return self.data[self.start(node) : self.end(node)].decode("utf-8")

    def gap(self, left: ast.AST, right: ast.AST) -> tuple[int, str]:
        start = self.end(left)
        return start, self.data[start : self.start(right)].decode("utf-8")

    # what is left alone ------------------------------------------------------------------------------------

    def _mark_skipped(self, tree: ast.AST) -> None:
        def skip_all(node: ast.AST | None) -> None:
            if node is not None:
                self.skip.update(id(n) for n in ast.walk(node))

        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = node.body[0] if node.body else None
                if isinstance(first, ast.Expr) and _is_str(first.value):
                    skip_all(first)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                skip_all(node.returns)
                for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                    skip_all(arg.annotation)
                for arg in (node.args.vararg, node.args.kwarg):
                    if arg is not None:
                        skip_all(arg.annotation)
            elif isinstance(node, ast.AnnAssign):
                skip_all(node.annotation)
            elif isinstance(node, ast.JoinedStr | ast.Import | ast.ImportFrom | ast.Global | ast.Nonlocal):
                skip_all(node)
            elif isinstance(node, ast.Raise):
                # exception messages: strings only (the raise itself and its other parts stay mutable)
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        self.skip.add(id(sub))
            elif isinstance(node, ast.Assert):
                skip_all(node.msg)
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                skip_all(node)

    # the walk ----------------------------------------------------------------------------------------------

    def edits(self) -> list[_Edit]:
        self._visit(self.tree, (), None, [])
        return self.out

    def _visit(self, node: ast.AST, path: tuple, func: ast.AST | None, parents: list[ast.AST]) -> None:
        if id(node) not in self.skip:
            self._mutate(node, path, func, parents)
        inner_func = node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else func
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        self._visit(item, (*path, (name, index)), inner_func, [*parents, node])
            elif isinstance(value, ast.AST):
                self._visit(value, (*path, (name, None)), inner_func, [*parents, node])

    def add(self, start: int, end: int, text: str, operator: str, expect, parens: bool = False) -> None:
        fallback = (start, end, f"({text})") if parens else None
        self.out.append(_Edit(start, end, text, operator, expect, fallback))

    def add_operator(
        self, node: ast.AST, pieces: list[tuple[int, int]], new: str, operator: str, expect
    ) -> None:
        """Operator tokens of `node` replaced by `new`; else the whole expression so, in parentheses
        (`a or b and c` -> `a or (b or c)`: `a or b or c` would be another tree)."""
        first, last = pieces[0][0], pieces[-1][1]
        start, end = self.start(node), self.end(node)
        text = ""
        cursor = first
        for a, b in pieces:
            text += self.data[cursor:a].decode("utf-8") + new
            cursor = b
        whole = self.data[start:first].decode("utf-8") + text + self.data[last:end].decode("utf-8")
        self.out.append(_Edit(first, last, text, operator, expect, (start, end, f"({whole})")))

    def replace(self, node: ast.AST, path: tuple, text: str, new: ast.AST, operator: str) -> None:
        """Replace an expression by `text`, whose tree is `new`."""

        def expect(tree: ast.Module) -> None:
            _set(tree, path, copy.deepcopy(new))

        self.add(self.start(node), self.end(node), text, operator, expect, parens=True)

    def _mutate(self, node: ast.AST, path: tuple, func: ast.AST | None, parents: list[ast.AST]) -> None:
        parent = parents[-1] if parents else None
        if isinstance(node, ast.Compare):
            self._compare(node, path)
        elif isinstance(node, ast.BinOp):
            self._binop(node, path)
        elif isinstance(node, ast.BoolOp):
            self._boolop(node, path)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert | ast.USub):
            self.replace(node, path, self.segment(node.operand), node.operand, "unary operator removed")
        elif isinstance(node, ast.AugAssign):
            self._augassign(node, path)
        elif isinstance(node, ast.Constant):
            self._constant(node, path, parent)
        elif isinstance(node, ast.Call):
            self._call(node, path, parent)
        elif isinstance(node, ast.IfExp):
            for part, name in ((node.body, "true"), (node.orelse, "false")):
                self.replace(node, path, self.segment(part), part, f"conditional: always the {name} branch")
        elif isinstance(node, ast.Lambda) and not _is_none(node.body):
            self.replace(
                node.body, (*path, ("body", None)), "None", ast.Constant(None), "lambda returns None"
            )
        elif isinstance(node, ast.comprehension):
            for index, cond in enumerate(node.ifs):
                if id(cond) not in self.skip:
                    self.replace(
                        cond,
                        (*path, ("ifs", index)),
                        "True",
                        ast.Constant(True),
                        "comprehension filter dropped",
                    )
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            self.replace(
                node.type,
                (*path, ("type", None)),
                "()",
                ast.Tuple([], ast.Load()),
                "except clause never catches",
            )
        elif isinstance(node, ast.Raise) and node.cause is not None and node.exc is not None:
            self.add(
                self.end(node.exc),
                self.end(node.cause),
                "",
                "raise loses its `from` cause",
                lambda tree: setattr(_get(tree, path), "cause", None),
            )
        elif isinstance(node, ast.Break) and func is not None:
            self._stmt_text(node, path, "return", ast.Return(None), "break -> return")
        elif isinstance(node, ast.Continue):
            self._stmt_text(node, path, "break", ast.Break(), "continue -> break")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node, path)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self._decorators(node, path)
        if isinstance(node, ast.stmt) and func is not None and path and path[-1][1] is not None:
            self._remove_statement(node, path, func)

    # operators ---------------------------------------------------------------------------------------------

    def _compare(self, node: ast.Compare, path: tuple) -> None:
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            new_op, old, new = _COMPARE[type(op)]
            start, gap = self.gap(operands[index], operands[index + 1])
            match = _COMPARE_TOKEN.search(_blank_comments(gap))
            if match is None:
                continue

            def expect(tree, index=index, new_op=new_op):
                _get(tree, path).ops[index] = new_op()

            span = (start + _bytelen(gap[: match.start()]), start + _bytelen(gap[: match.end()]))
            self.add_operator(node, [span], new, f"comparison {old} -> {new}", expect)

    def _binop(self, node: ast.BinOp, path: tuple) -> None:
        if type(node.op) not in _BINARY:
            return
        new_op, old, new = _BINARY[type(node.op)]
        start, gap = self.gap(node.left, node.right)
        match = _BINARY_TOKEN.search(_blank_comments(gap))
        if match is None:
            return
        span = (start + _bytelen(gap[: match.start()]), start + _bytelen(gap[: match.end()]))
        self.add_operator(
            node,
            [span],
            new,
            f"operator {old} -> {new}",
            lambda tree: setattr(_get(tree, path), "op", new_op()),
        )

    def _augassign(self, node: ast.AugAssign, path: tuple) -> None:
        start, gap = self.gap(node.target, node.value)
        match = re.search(r"(\*\*|//|<<|>>|[-+*/%&|^@])=", _blank_comments(gap))
        if match is None:
            return
        span = (start + _bytelen(gap[: match.start()]), start + _bytelen(gap[: match.end()]))
        if type(node.op) in _BINARY:
            new_op, old, new = _BINARY[type(node.op)]
            self.add(
                *span,
                new + "=",
                f"operator {old}= -> {new}=",
                lambda tree: setattr(_get(tree, path), "op", new_op()),
            )

        def to_assign(tree):
            old = _get(tree, path)
            target = copy.deepcopy(old.target)
            _store(target)
            _set(tree, path, ast.Assign([target], old.value))

        self.add(*span, "=", f"{match.group(0)} -> =", to_assign)

    def _boolop(self, node: ast.BoolOp, path: tuple) -> None:
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        pieces: list[tuple[int, int]] = []
        for left, right in zip(node.values, node.values[1:], strict=False):
            start, gap = self.gap(left, right)
            match = re.search(rf"\b{old}\b", _blank_comments(gap))
            if match is None:
                return
            pieces.append((start + _bytelen(gap[: match.start()]), start + _bytelen(gap[: match.end()])))
        new_op = ast.Or if old == "and" else ast.And
        self.add_operator(
            node,
            pieces,
            new,
            f"boolean {old} -> {new}",
            lambda tree: setattr(_get(tree, path), "op", new_op()),
        )

    def _constant(self, node: ast.Constant, path: tuple, parent: ast.AST | None) -> None:
        value = node.value
        if isinstance(value, bool):
            self.replace(node, path, repr(not value), ast.Constant(not value), f"{value} -> {not value}")
        elif isinstance(value, int | float):
            for new in dict.fromkeys([value + 1, value - 1, type(value)(0)]):
                if new != value:
                    self.replace(node, path, repr(new), ast.Constant(new), f"number {value!r} -> {new!r}")
        elif isinstance(value, str):
            if _is_sql(value):
                self._sql_string(node, path)
            elif value in _VALUE_SWAPS:
                new = _VALUE_SWAPS[value]
                self.replace(node, path, repr(new), ast.Constant(new), f"string {value!r} -> {new!r}")
            else:
                new = f"XX{value}XX"
                self.replace(node, path, repr(new), ast.Constant(new), f"string {_short(value)!r} changed")

    def _sql_string(self, node: ast.Constant, path: tuple) -> None:
        segment = self.segment(node)
        match = re.match(r"([rRuU]?)('''|\"\"\"|'|\")", segment)
        inner_start = match.end() if match else 0
        quote = match.group(2) if match else ""
        literal_ok = (
            match is not None
            and segment.endswith(quote)
            and len(segment) >= 2 * len(quote) + len(match.group(1))
            and _literal(segment) == segment[inner_start : len(segment) - len(quote)]
        )
        value = node.value
        for start, end, text, operator in _sql_edits(value, base=0):
            new_value = value[:start] + text + value[end:]

            def expect(tree, new_value=new_value):
                _set(tree, path, ast.Constant(new_value))

            if literal_ok:
                base = self.start(node) + _bytelen(segment[:inner_start])
                self.add(base + _bytelen(value[:start]), base + _bytelen(value[:end]), text, operator, expect)
            else:
                self.add(self.start(node), self.end(node), repr(new_value), operator, expect)

    def _call(self, node: ast.Call, path: tuple, parent: ast.AST | None) -> None:
        # the function or method name swapped within a family
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _NAME_SWAPS:
            new = _NAME_SWAPS[func.attr]
            end = self.end(func)
            self.add(
                end - len(func.attr),
                end,
                new,
                f"method .{func.attr}() -> .{new}()",
                lambda tree: setattr(_get(tree, (*path, ("func", None))), "attr", new),
            )
        elif isinstance(func, ast.Name) and func.id in _NAME_SWAPS:
            new = _NAME_SWAPS[func.id]
            self.add(
                self.start(func),
                self.end(func),
                new,
                f"function {func.id}() -> {new}()",
                lambda tree: setattr(_get(tree, (*path, ("func", None))), "id", new),
            )
        # each argument dropped (keywords, and **kwargs) and adjacent positional arguments swapped
        items = sorted(
            [("args", i, a) for i, a in enumerate(node.args)]
            + [("keywords", i, k) for i, k in enumerate(node.keywords)],
            key=lambda item: self.start(item[2]),
        )
        for order, (field_name, index, item) in enumerate(items):
            if field_name != "keywords":
                continue
            if order + 1 < len(items):
                start, end = self.start(item), self.start(items[order + 1][2])
            elif order > 0:
                start, end = self.end(items[order - 1][2]), self.end(item)
            else:
                start, end = self.start(item), self.end(item)
            label = f"{item.arg}=" if item.arg else "**"

            def drop(tree, index=index):
                del _get(tree, path).keywords[index]

            self.add(start, end, "", f"keyword argument {label}... dropped", drop)
        for index in range(len(node.args) - 1):
            first, second = node.args[index], node.args[index + 1]
            if isinstance(first, ast.Starred) or isinstance(second, ast.Starred):
                continue
            if ast.dump(first) == ast.dump(second):
                continue
            between = self.data[self.end(first) : self.start(second)].decode("utf-8")

            def swap(tree, index=index):
                args = _get(tree, path).args
                args[index], args[index + 1] = args[index + 1], args[index]

            self.add(
                self.start(first),
                self.end(second),
                self.segment(second) + between + self.segment(first),
                f"arguments {index + 1} and {index + 2} swapped",
                swap,
            )
        # the call removed: obj.method(...) -> obj, f(x) -> x (a call statement is removed as a statement)
        if isinstance(parent, ast.Expr | ast.Raise) or path[-1][0] == "decorator_list":
            return
        if isinstance(func, ast.Attribute):
            self.replace(node, path, self.segment(func.value), func.value, f".{func.attr}(...) call removed")
        elif isinstance(func, ast.Name) and len(node.args) == 1 and not isinstance(node.args[0], ast.Starred):
            arg = node.args[0]
            self.replace(node, path, self.segment(arg), arg, f"{func.id}(...) call removed")

    def _stmt_text(self, node: ast.stmt, path: tuple, text: str, new: ast.stmt, operator: str) -> None:
        self.add(
            self.start(node),
            self.end(node),
            text,
            operator,
            lambda tree: _set(tree, path, copy.deepcopy(new)),
        )

    def _remove_statement(self, node: ast.stmt, path: tuple, func: ast.AST) -> None:
        kinds = (
            ast.Expr,
            ast.AugAssign,
            ast.If,
            ast.For,
            ast.AsyncFor,
            ast.While,
            ast.Raise,
            ast.Assert,
            ast.Delete,
            ast.Continue,
            ast.Break,
        )
        removable = isinstance(node, kinds)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            removable = all(_rebinds(t, func, node) for t in targets)
        if removable:
            self._stmt_text(
                node, path, "pass", ast.Pass(), f"{type(node).__name__.lower()} statement removed"
            )

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, path: tuple) -> None:
        # defaults -> None
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        pairs = [
            (a, d, ("defaults", i))
            for i, (a, d) in enumerate(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
            )
        ]
        pairs += [
            (a, d, ("kw_defaults", i))
            for i, (a, d) in enumerate(zip(args.kwonlyargs, args.kw_defaults, strict=True))
            if d is not None
        ]
        for arg, default, (name, index) in pairs:
            if not _is_none(default) and id(default) not in self.skip:
                self.replace(
                    default,
                    (*path, ("args", None), (name, index)),
                    "None",
                    ast.Constant(None),
                    f"default {arg.arg}= -> None",
                )
        # early returns
        body = node.body
        first = 1 if body and id(body[0]) in self.skip else 0  # after the docstring
        statements = list(enumerate(body))[first:]
        if len(statements) < 2:
            return
        returns = [r for r in _own_nodes(node) if isinstance(r, ast.Return) and r.value is not None]
        if not returns:
            positions = [index for index, _ in statements]
            value = None
        else:
            last = body[-1]
            if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Name)):
                return
            name = last.value.id
            assigned = [i for i, s in statements if _assigns(s, name)]
            if not assigned:
                return
            positions = [index for index, _ in statements if assigned[0] < index < len(body) - 1]
            value = name
        for index in positions:
            stmt = body[index]
            indent = self.data[self.starts[stmt.lineno - 1] : self.start(stmt)].decode("utf-8")
            if indent.strip():
                continue
            text = "return" + (f" {value}" if value else "")
            new = ast.Return(ast.Name(value, ast.Load()) if value else None)

            def insert(tree, index=index, new=new):
                _get(tree, path).body.insert(index, copy.deepcopy(new))

            self.add(self.start(stmt), self.start(stmt), f"{text}\n{indent}", f"early `{text}`", insert)

    def _decorators(self, node: ast.AST, path: tuple) -> None:
        lines = self.data.splitlines(keepends=True)
        for index, decorator in enumerate(node.decorator_list):
            first, last = decorator.lineno - 1, decorator.end_lineno - 1
            head = lines[first][: decorator.col_offset].decode("utf-8", errors="replace")
            tail = lines[last][decorator.end_col_offset :].decode("utf-8", errors="replace")
            if head.strip() != "@" or (tail.strip() and not tail.strip().startswith("#")):
                continue

            def drop(tree, index=index):
                del _get(tree, path).decorator_list[index]

            self.add(self.starts[first], self.starts[last + 1], "", "decorator removed", drop)


def _is_type_checking(test: ast.AST) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _own_nodes(func: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function, not those of the functions and classes nested in it."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _assigns(stmt: ast.stmt, name: str) -> bool:
    if isinstance(stmt, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)
    return (
        isinstance(stmt, ast.AnnAssign | ast.AugAssign)
        and isinstance(stmt.target, ast.Name)
        and (stmt.target.id == name)
    )


def _rebinds(target: ast.AST, func: ast.AST, stmt: ast.stmt) -> bool:
    """An assignment whose removal is a plausible slip: to an attribute or item, or to a name bound before."""
    if isinstance(target, ast.Attribute | ast.Subscript):
        return True
    if not isinstance(target, ast.Name):
        return False
    args = func.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    if target.id in params:
        return True
    return any(
        isinstance(n, ast.Name)
        and n.id == target.id
        and isinstance(n.ctx, ast.Store)
        and n.lineno < stmt.lineno
        for n in _own_nodes(func)
    )


def _store(node: ast.AST) -> None:
    if hasattr(node, "ctx"):
        node.ctx = ast.Store()


def _get(tree: ast.AST, path: tuple) -> ast.AST:
    node = tree
    for name, index in path:
        value = getattr(node, name)
        node = value[index] if index is not None else value
    return node


def _set(tree: ast.AST, path: tuple, new: ast.AST) -> None:
    parent = _get(tree, path[:-1])
    name, index = path[-1]
    if index is None:
        setattr(parent, name, new)
    else:
        getattr(parent, name)[index] = new


def _blank_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), text)


def _bytelen(text: str) -> int:
    return len(text.encode("utf-8"))


def _literal(segment: str) -> object:
    try:
        return ast.literal_eval(segment)
    except (ValueError, SyntaxError):
        return None


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- SQL operators --------------------------------------------------------------------------------------------

_SQL_TOKEN = re.compile(
    r"(?P<comment>--[^\n]*|/\*.*?\*/)"
    r"|(?P<string>[eE]?'(?:[^']|'')*')"
    r"|(?P<quoted>\"(?:[^\"]|\"\")*\")"
    r"|(?P<param>%\(\w+\)s|%s|\$\d+|(?<!:):\w+)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_$]*)"
    r"|(?P<number>\d+(?:\.\d*)?)"
    r"|(?P<op><>|<=|>=|!=|::|\|\||[<>=(),;.*+\-/%\[\]])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_SQL_WORD_SWAPS = {
    "MIN": "MAX", "MAX": "MIN", "ROW_NUMBER": "RANK", "RANK": "DENSE_RANK", "DENSE_RANK": "RANK",
    "LAG": "LEAD", "LEAD": "LAG", "FIRST_VALUE": "LAST_VALUE", "LAST_VALUE": "FIRST_VALUE",
    "PRECEDING": "FOLLOWING", "FOLLOWING": "PRECEDING", "FIRST": "LAST", "LAST": "FIRST",
}  # fmt: skip
_SQL_CLAUSE_END = {
    "LIMIT", "OFFSET", "FETCH", "ROWS", "RANGE", "GROUPS", "UNION", "INTERSECT", "EXCEPT", "WINDOW", "FOR",
    "ORDER", "RETURNING", "HAVING", "WHERE", "GROUP", "FROM",
}  # fmt: skip


@dataclass
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    depth: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else self.text


def _sql_tokens(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    depth = 0
    for match in _SQL_TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group(0)
        if value == ")":
            depth -= 1
        tokens.append(_Tok(kind, value, match.start(), match.end(), depth))
        if value == "(":
            depth += 1
    return tokens


def _case(like: str, word: str) -> str:
    return word.lower() if like.islower() else word


def _sql_edits(text: str, base: int) -> list[tuple[int, int, str, str]]:
    """Text edits (start, end, replacement, operator) of one SQL text."""
    toks = _sql_tokens(text)
    out: list[tuple[int, int, str, str]] = []
    words = [t.upper if t.kind == "word" else None for t in toks]

    def add(start: int, end: int, new: str, operator: str) -> None:
        out.append((base + start, base + end, new, operator))

    for i, tok in enumerate(toks):
        word = words[i]
        prev = words[i - 1] if i else None
        nxt = words[i + 1] if i + 1 < len(toks) else None
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        # join kinds
        if word == "JOIN":
            j = i - 1
            if prev == "OUTER":
                j -= 1
            kind = words[j] if j >= 0 else None
            if kind in ("LEFT", "RIGHT", "FULL"):
                for new in ["INNER JOIN"] if kind == "LEFT" else ["LEFT JOIN", "INNER JOIN"]:
                    add(toks[j].start, tok.end, _case(tok.text, new), f"SQL {kind} JOIN -> {new}")
            elif kind == "INNER":
                add(toks[j].start, tok.end, _case(tok.text, "LEFT JOIN"), "SQL INNER JOIN -> LEFT JOIN")
            elif kind not in ("CROSS", "NATURAL", "LATERAL"):
                add(tok.start, tok.end, _case(tok.text, "LEFT JOIN"), "SQL JOIN -> LEFT JOIN")
        # comparisons
        elif tok.kind == "op" and tok.text in ("<", "<=", ">", ">="):
            new = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}[tok.text]
            add(tok.start, tok.end, new, f"SQL {tok.text} -> {new}")
        elif word == "DISTINCT":
            end = toks[i + 1].start if i + 1 < len(toks) else tok.end
            add(tok.start, end, "", "SQL DISTINCT dropped")
        elif word == "UNION":
            if nxt == "ALL":
                add(tok.end, toks[i + 1].end, "", "SQL UNION ALL -> UNION")
            else:
                add(tok.end, tok.end, _case(tok.text, " ALL"), "SQL UNION -> UNION ALL")
        elif word == "IS" and nxt == "NOT" and i + 2 < len(toks) and words[i + 2] == "NULL":
            add(tok.end, toks[i + 1].end, "", "SQL IS NOT NULL -> IS NULL")
        elif word == "IS" and nxt == "NULL":
            add(tok.end, tok.end, _case(tok.text, " NOT"), "SQL IS NULL -> IS NOT NULL")
        elif word in _SQL_WORD_SWAPS and (
            (after == "(" and word not in ("FIRST", "LAST", "PRECEDING", "FOLLOWING"))
            or (word in ("PRECEDING", "FOLLOWING"))
            or (word in ("FIRST", "LAST") and prev == "NULLS")
        ):
            new = _SQL_WORD_SWAPS[word]
            add(tok.start, tok.end, _case(tok.text, new), f"SQL {word} -> {new}")
        elif tok.kind == "number" and "." not in tok.text:
            value = int(tok.text)
            for new in (value + 1, value - 1):
                if new >= 0:
                    add(tok.start, tok.end, str(new), f"SQL number {value} -> {new}")
        # ORDER BY / PARTITION BY terms, WHERE / ON / HAVING conditions
        if word in ("ORDER", "PARTITION") and nxt == "BY":
            _sql_terms(text, toks, words, i, add)
        elif word in ("WHERE", "ON", "HAVING"):
            _sql_conditions(toks, words, i, add)
    return out


def _sql_terms(text: str, toks: list[_Tok], words: list, i: int, add) -> None:
    clause = words[i]
    depth = toks[i].depth
    terms: list[list[_Tok]] = [[]]
    j = i + 2
    while j < len(toks):
        tok = toks[j]
        if tok.depth < depth or (tok.depth == depth and (tok.text == ";" or words[j] in _SQL_CLAUSE_END)):
            break
        if tok.depth == depth and tok.text == ",":
            terms.append([])
        else:
            terms[-1].append(tok)
        j += 1
    terms = [t for t in terms if t]
    if not terms:
        return
    if len(terms) == 1:
        add(toks[i].start, terms[0][-1].end, "", f"SQL {clause} BY dropped")
    else:
        for k, term in enumerate(terms):
            if k + 1 < len(terms):
                start, end = term[0].start, terms[k + 1][0].start
            else:
                start, end = _comma_before(text, term[0].start), term[-1].end
            add(start, end, "", f"SQL {clause} BY term {k + 1} dropped")
    if clause != "ORDER":
        return
    for k, term in enumerate(terms):
        last = term[-1]
        if last.upper == "DESC":
            add(
                term[-2].end if len(term) > 1 else last.start,
                last.end,
                "",
                f"SQL ORDER BY term {k + 1}: DESC dropped",
            )
        elif last.upper == "ASC":
            add(last.start, last.end, _case(last.text, "DESC"), f"SQL ORDER BY term {k + 1}: ASC -> DESC")
        elif last.upper not in ("FIRST", "LAST"):
            add(
                last.end,
                last.end,
                " " + _case(toks[i].text, "DESC"),
                f"SQL ORDER BY term {k + 1}: DESC added",
            )


_SQL_CONDITION_END = _SQL_CLAUSE_END | {
    "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "NATURAL", "ON", "USING", "SELECT",
}  # fmt: skip


def _sql_conditions(toks: list[_Tok], words: list, i: int, add) -> None:
    """Each AND-ed condition of a WHERE, ON or HAVING dropped; a one-condition WHERE or HAVING dropped."""
    clause = words[i]
    depth = toks[i].depth
    terms: list[list[_Tok]] = [[]]
    j = i + 1
    while j < len(toks):
        tok = toks[j]
        if tok.depth < depth or (
            tok.depth == depth and (tok.text in (";", ",") or words[j] in _SQL_CONDITION_END)
        ):
            break
        if tok.depth == depth and words[j] == "BETWEEN":
            return  # its AND is not a conjunction: leave the clause alone
        if tok.depth == depth and words[j] == "OR":
            return  # a top-level OR: dropping an AND-ed term would change precedence
        if tok.depth == depth and words[j] == "AND":
            terms.append([])
        else:
            terms[-1].append(tok)
        j += 1
    if any(not term for term in terms):
        return
    if len(terms) == 1:
        if clause != "ON":
            add(toks[i].start, terms[0][-1].end, "", f"SQL {clause} dropped")
        return
    for k, term in enumerate(terms):
        if k + 1 < len(terms):
            start, end = term[0].start, terms[k + 1][0].start  # the term and its AND
        else:
            start, end = terms[k - 1][-1].end, term[-1].end  # AND and the last term
        add(start, end, "", f"SQL {clause} condition {k + 1} dropped")


def _comma_before(text: str, position: int) -> int:
    comma = text.rfind(",", 0, position)
    return comma if comma >= 0 else position


# --- hashes, sampling, results files -------------------------------------------------------------------------


def _hash_files(paths: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256()
    for name, path in sorted(paths):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def solution_hash(kata: Kata) -> str:
    """The reference solution's files (not the near misses, not mutants.toml)."""
    files = [
        (str(p.relative_to(kata.solution_dir)), p)
        for p in kata.solution_dir.rglob("*")
        if p.is_file()
        and NEAR_MISSES not in p.relative_to(kata.solution_dir).parts
        and "__pycache__" not in p.parts
        and p.name != RESULTS
    ]
    return _hash_files(files)


# kata.toml keys that change how the tests run; the rest (title, hints, points...) is for people.
TEST_KEYS = ("learner_files", "provided", "timeout", "contract")
# Kata files that no test reads: the learner's README and what `graders diagnoses` records from the tests.
NOT_TESTS = {"README.md", "diagnoses.toml", "kata.toml"}


def tests_hash(kata: Kata) -> str:
    """What the tests are: the kata's files but the learner's stubs, README and generated diagnoses, the
    kata.toml keys the tests depend on, and the topic's conftest."""
    skipped = set(kata.learner_files) | NOT_TESTS
    files = [
        (str(p.relative_to(kata.dir)), p)
        for p in kata.dir.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and str(p.relative_to(kata.dir)) not in skipped
    ]
    conftest = kata.dir.parent / "conftest.py"
    if conftest.is_file():
        files.append(("../conftest.py", conftest))
    digest = hashlib.sha256(_hash_files(files).encode())
    digest.update(json.dumps({key: kata.meta.get(key) for key in TEST_KEYS}, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def sample_size(kata: Kata, max_mutants: int | None = None) -> int:
    if max_mutants is not None:
        return max_mutants
    median = float(topic_meta(kata.root, kata.topic).get("budget_median_s", 2) or 2)
    return max(MIN_MUTANTS, min(MAX_MUTANTS, int(SAMPLE_SECONDS / median)))


def read_results(kata: Kata) -> dict | None:
    path = kata.solution_dir / RESULTS
    if not path.is_file():
        return None
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def unexplained(results: dict) -> list[dict]:
    """Survivors of a mutants.toml without a one-line reason under [equivalent]."""
    reasons = results.get("equivalent", {})
    return [s for s in results.get("survivor", []) if not str(reasons.get(s.get("id", ""), "")).strip()]


def stale_parts(kata: Kata, results: dict) -> list[str]:
    """What changed since `results` were computed: "solution", "tests", both or neither."""
    return [
        what
        for what, key, now in (
            ("solution", "solution_hash", solution_hash(kata)),
            ("tests", "tests_hash", tests_hash(kata)),
        )
        if results.get(key) != now
    ]


def check_results(kata: Kata) -> tuple[list[str], list[str]]:
    """verify's view of a committed mutants.toml: (problems, notes)."""
    try:
        results = read_results(kata)
    except tomllib.TOMLDecodeError as exc:
        return [f"{RESULTS}: not valid TOML ({exc})"], []
    if results is None:
        return [], []
    problems = [
        f"mutant {s.get('id')} ({s.get('file')}:{s.get('line')}, {s.get('operator')}) survives the tests and "
        f"is not explained under [equivalent] in solutions/{kata.rel}/{RESULTS}: strengthen a test or explain it"
        for s in unexplained(results)
    ]
    notes = []
    if stale := stale_parts(kata, results):
        notes.append(
            f"{RESULTS} was computed for other {' and '.join(stale)}: "
            f"rerun `python -m graders mutate katas/{kata.rel}`"
        )
    return problems, notes


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _toml_multiline(text: str) -> str:
    if "'''" not in text and all(c == "\n" or c == "\t" or c >= " " for c in text):
        return "'''\n" + text + "'''"
    return _toml_str(text)


# --- running --------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # killed | survived
    by: str = ""  # the first failing test (killed), or the number of tests passed (survived)


@dataclass
class KataRun:
    kata: Kata
    original: dict[str, str]  # learner file -> reference text
    generated: int
    mutants: list[Mutant]
    solution_hash: str
    tests_hash: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    problem: str = ""  # why no mutant could run (the solution fails, tests skipped here)
    ran: int = 0  # mutants run now (not from the cache)

    def key(self, mutant: Mutant) -> str:
        digest = hashlib.sha256(mutant.text.encode()).hexdigest()[:16]
        return f"{self.kata.rel}:{self.solution_hash}:{self.tests_hash}:{mutant.file}:{digest}"

    @property
    def pending(self) -> list[Mutant]:
        return [m for m in self.mutants if m.id not in self.outcomes]

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if self.outcomes.get(m.id, Outcome("")).status == "survived"]


def plan_kata(kata: Kata, max_mutants: int | None = None) -> KataRun:
    original: dict[str, str] = {}
    every: list[Mutant] = []
    for name in kata.learner_files:
        path = kata.solution_dir / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        original[name] = text
        stub = kata.dir / name
        try:
            every += mutants_of(text, name, stub.read_text(encoding="utf-8") if stub.is_file() else None)
        except SyntaxError:
            continue
    chosen = sorted(every, key=lambda m: m.id)[: sample_size(kata, max_mutants)]
    return KataRun(kata, original, len(every), chosen, solution_hash(kata), tests_hash(kata))


class _Cache:
    def __init__(self, root: Path):
        self.path = root / CACHE
        self.lock = threading.Lock()
        try:
            self.data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}
        self.data.setdefault("mutants", {})
        self.data.setdefault("baselines", {})

    def save(self) -> None:
        """Write the cache, merged with what another mutate run saved meanwhile (under a file lock)."""
        with self.lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    saved = json.loads(self.path.read_text())
                except (OSError, ValueError):
                    saved = {}
                for part in ("mutants", "baselines"):
                    self.data[part] = {**saved.get(part, {}), **self.data[part]}
                tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self.data, indent=0, sort_keys=True))
                os.replace(tmp, self.path)


def _seed_from_results(run: KataRun, cache: _Cache) -> None:
    """Outcomes already known: in the local cache, or the survivors of a mutants.toml computed for these very
    files (it records only survivors: which test kills each other mutant is the local cache's business)."""
    try:
        results = read_results(run.kata) or {}
    except tomllib.TOMLDecodeError:
        results = {}
    committed: dict[str, Outcome] = {}
    if results.get("solution_hash") == run.solution_hash and results.get("tests_hash") == run.tests_hash:
        for entry in results.get("survivor", []):
            committed[entry.get("id", "")] = Outcome("survived", str(entry.get("passed", "")))
    for mutant in run.mutants:
        known = cache.data["mutants"].get(run.key(mutant))
        if known:
            run.outcomes[mutant.id] = Outcome(known["status"], known.get("by", ""))
        elif mutant.id in committed:
            run.outcomes[mutant.id] = committed[mutant.id]


def _judge(results: list[TestResult]) -> Outcome:
    bad = [r for r in results if r.outcome in BAD]
    if bad:
        first = bad[0]
        test = first.nodeid.split("::", 1)[-1]
        return Outcome("killed", test if first.outcome == "failed" else f"{first.outcome} in {test}")
    passed = sum(r.outcome == "passed" for r in results)
    return Outcome("survived", f"{passed} tests passed" if passed else "no test ran")


def _layout(folder: Path, pairs: list[tuple[KataRun, Mutant | None]]) -> None:
    for run, mutant in pairs:
        kata = run.kata
        target = folder / kata.topic / kata.name
        shutil.copytree(
            kata.solution_dir, target, ignore=shutil.ignore_patterns(NEAR_MISSES, "__pycache__", RESULTS)
        )
        if mutant is not None:
            (target / mutant.file).write_text(mutant.text, encoding="utf-8")


class _Progress:
    def __init__(self, total: int, echo: Callable[[str], None]):
        self.total, self.done, self.killed, self.survived = total, 0, 0, 0
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.tty = sys.stderr.isatty()
        self.echo = echo

    def add(self, outcomes: list[Outcome]) -> None:
        with self.lock:
            self.done += len(outcomes)
            self.killed += sum(o.status == "killed" for o in outcomes)
            self.survived += sum(o.status == "survived" for o in outcomes)
            line = (
                f"mutate: {self.done}/{self.total} mutants run, {self.killed} killed, {self.survived} survived, "
                f"{time.monotonic() - self.started:.0f} s"
            )
            if self.tty:
                sys.stderr.write("\r" + line + "\x1b[K")
                sys.stderr.flush()
            else:
                self.echo(line)

    def close(self) -> None:
        if self.tty and self.total:
            sys.stderr.write("\n")


def mutate(
    root: Path,
    katas: list[Kata],
    *,
    jobs: int | None = None,
    max_mutants: int | None = None,
    write: bool = True,
    echo: Callable[[str], None] = print,
) -> list[KataRun]:
    """Generate, run (what the cache does not know) and report the mutants of each kata's solution."""
    workers = jobs or max(1, min(4, os.cpu_count() or 1))
    cache = _Cache(root)
    runs = [plan_kata(kata, max_mutants) for kata in katas]
    for run in runs:
        _seed_from_results(run, cache)
    todo = [run for run in runs if run.pending]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="katas-mutate-") as tmp:
        slowest = _baselines(root, todo, cache, Path(tmp), workers)
        todo = [run for run in todo if not run.problem]
        rounds: list[tuple[str, int, list[tuple[KataRun, Mutant]]]] = []
        topics: dict[str, list[KataRun]] = {}
        for run in todo:
            topics.setdefault(run.kata.topic, []).append(run)
        for topic, members in topics.items():
            for index in range(max(len(r.pending) for r in members)):
                pairs = [(r, r.pending[index]) for r in members if len(r.pending) > index]
                rounds.append((topic, index, pairs))
        total = sum(len(pairs) for _, _, pairs in rounds)
        echo(
            f"mutate: {len(katas)} katas, {sum(len(r.mutants) for r in runs)} mutants "
            f"({sum(r.generated for r in runs)} generated), {total} to run in {len(rounds)} pytest runs "
            f"on {workers} workers"
        )
        progress = _Progress(total, echo)

        def run_round(item: tuple[str, int, list[tuple[KataRun, Mutant]]]) -> None:
            topic, index, pairs = item
            if sandbox.stopping():
                return  # the run was stopped: these mutants stay unrun (and uncached)
            folder = Path(tmp) / f"{topic}-{index}"
            _layout(folder, pairs)
            limit = max(10, min(60, int(4 * max(slowest.get(r.kata.rel, 1.0) for r, _ in pairs) + 5)))
            try:
                report = run_pytest(
                    root,
                    [r.kata.dir for r, _ in pairs],
                    impl=str(folder),
                    fail_fast=True,
                    extra_args=["-o", f"timeout={limit}"],
                )
            except RuntimeError as exc:  # pytest did not start: these mutants stay unrun
                echo(f"mutate: round {index} of {topic} did not run: {str(exc).splitlines()[0]}")
                return
            if sandbox.stopping():
                return  # killed for the stop, not by a test: nothing to record
            by_kata = report.by_kata()
            done: list[Outcome] = []
            for run, mutant in pairs:
                outcome = _judge(by_kata.get(run.kata.rel, []))
                run.outcomes[mutant.id] = outcome
                run.ran += 1
                done.append(outcome)
                with cache.lock:
                    cache.data["mutants"][run.key(mutant)] = {"status": outcome.status, "by": outcome.by}
            cache.save()
            shutil.rmtree(folder, ignore_errors=True)
            progress.add(done)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run_round, rounds))
        progress.close()
    seconds = time.monotonic() - started
    ran = sum(r.ran for r in runs)
    for run in runs:
        if write and not run.problem and run.mutants and not run.pending:
            write_results(run)
        _report(run, echo)
    _summary(runs, echo)
    if ran:
        echo(
            f"mutate: ran {ran} mutants in {seconds:.0f} s on {workers} workers: "
            f"{seconds / ran:.2f} s wall per mutant ({seconds * workers / ran:.2f} core-seconds)"
        )
    else:
        echo("mutate: every result came from the cache")
    return runs


def _baselines(root: Path, runs: list[KataRun], cache: _Cache, tmp: Path, workers: int) -> dict[str, float]:
    """The unmutated solution's run: it must pass; its slowest test sets the mutants' timeout."""
    slowest: dict[str, float] = {}
    needed: dict[str, list[KataRun]] = {}
    for run in runs:
        key = f"{run.kata.rel}:{run.solution_hash}:{run.tests_hash}"
        known = cache.data["baselines"].get(key)
        if known:
            slowest[run.kata.rel] = known["slowest"]
            run.problem = known.get("problem", "")
        else:
            needed.setdefault(run.kata.topic, []).append(run)

    def baseline(members: list[KataRun]) -> None:
        folder = tmp / f"baseline-{members[0].kata.topic}"
        _layout(folder, [(run, None) for run in members])
        report = run_pytest(root, [r.kata.dir for r in members], impl=str(folder)).by_kata()
        if sandbox.stopping():
            for run in members:
                run.problem = "stopped before its baseline run ended"  # not cached: a stop is no verdict
            return
        for run in members:
            results = report.get(run.kata.rel, [])
            bad = [r for r in results if r.outcome in BAD]
            if bad:
                run.problem = f"the solution fails {bad[0].nodeid}: {bad[0].message.splitlines()[0][:200]}"
            elif not any(r.outcome == "passed" for r in results):
                run.problem = (
                    "no test passes against the solution here (skipped: a service or package missing?)"
                )
            slowest[run.kata.rel] = max((r.duration for r in results), default=1.0)
            key = f"{run.kata.rel}:{run.solution_hash}:{run.tests_hash}"
            with cache.lock:
                cache.data["baselines"][key] = {"slowest": slowest[run.kata.rel], "problem": run.problem}
            # a problem that may pass elsewhere (services) is not cached
            if run.problem.startswith("no test passes"):
                with cache.lock:
                    del cache.data["baselines"][key]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(baseline, needed.values()))
    cache.save()
    return slowest


def write_results(run: KataRun) -> Path:
    """solutions/<topic>/<kata>/mutants.toml: hashes, counts, every survivor with its diff and its reason.

    The killed mutants are counted, not listed: what a reviewer reads is what the tests let through."""
    kata = run.kata
    path = kata.solution_dir / RESULTS
    try:
        previous = read_results(kata) or {}
    except tomllib.TOMLDecodeError:
        previous = {}
    survivors = run.survivors
    reasons = {
        ident: str(reason)
        for ident, reason in previous.get("equivalent", {}).items()
        if ident in {m.id for m in survivors} and str(reason).strip()
    }
    killed = [m for m in run.mutants if run.outcomes.get(m.id, Outcome("")).status == "killed"]
    lines = [
        f"# Written by `python -m graders mutate katas/{kata.rel}`. Each survivor needs a stronger test or a",
        '# reason under [equivalent]: "<id>" = "<why no correct test can tell it from the solution>".',
        "",
        f"solution_hash = {_toml_str(run.solution_hash)}",
        f"tests_hash = {_toml_str(run.tests_hash)}",
        f"generated = {run.generated}",
        f"mutants = {len(run.mutants)}",
        f"killed = {len(killed)}",
        f"survived = {len(survivors)}",
        f"explained = {len(reasons)}",
        "",
        "[equivalent]",
        *(f"{_toml_str(ident)} = {_toml_str(reason)}" for ident, reason in sorted(reasons.items())),
        "",
    ]
    for mutant in survivors:
        lines += [
            "[[survivor]]",
            f"id = {_toml_str(mutant.id)}",
            f"file = {_toml_str(mutant.file)}",
            f"line = {mutant.line}",
            f"operator = {_toml_str(mutant.operator)}",
            f"passed = {_toml_str(run.outcomes[mutant.id].by)}",
            f"diff = {_toml_multiline(mutant.diff(run.original[mutant.file], mutant.file))}",
            "",
        ]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    return path


def _report(run: KataRun, echo: Callable[[str], None]) -> None:
    kata = run.kata
    if run.problem:
        echo(f"skip {kata.rel}: {run.problem}")
        return
    if not run.mutants:
        echo(f"  -  {kata.rel}: no mutable learner file ({', '.join(kata.learner_files)})")
        return
    try:
        reasons = (read_results(kata) or {}).get("equivalent", {})
    except tomllib.TOMLDecodeError:
        reasons = {}
    survivors = run.survivors
    open_ = [m for m in survivors if not str(reasons.get(m.id, "")).strip()]
    killed = sum(o.status == "killed" for o in run.outcomes.values() if o)
    mark = "ok  " if not open_ else "FAIL"
    echo(
        f"{mark} {kata.rel}: {len(run.mutants)} mutants (of {run.generated}), {killed} killed, "
        f"{len(survivors)} survived ({len(survivors) - len(open_)} explained as equivalent)"
    )
    for mutant in open_:
        echo(f"       survivor {mutant.id}: {mutant.file}:{mutant.line} {mutant.operator}")
        diff = mutant.diff(run.original[mutant.file], f"solutions/{kata.rel}/{mutant.file}")
        for line in diff.rstrip("\n").splitlines():
            echo(f"         {line}")


def _summary(runs: list[KataRun], echo: Callable[[str], None]) -> None:
    topics: dict[str, list[KataRun]] = {}
    for run in runs:
        topics.setdefault(run.kata.topic, []).append(run)
    echo("")
    echo("| topic | katas | mutants | killed | survived | explained | unexplained | score |")
    echo("|---|---:|---:|---:|---:|---:|---:|---:|")
    for topic, members in topics.items():
        usable = [r for r in members if not r.problem]
        mutants = sum(len(r.mutants) for r in usable)
        survived = sum(len(r.survivors) for r in usable)
        explained = 0
        for run in usable:
            try:
                reasons = (read_results(run.kata) or {}).get("equivalent", {})
            except tomllib.TOMLDecodeError:
                reasons = {}
            explained += sum(1 for m in run.survivors if str(reasons.get(m.id, "")).strip())
        killed = mutants - survived
        score = f"{100 * killed / mutants:.0f} %" if mutants else "-"
        echo(
            f"| {topic} | {len(usable)} | {mutants} | {killed} | {survived} | {explained} | "
            f"{survived - explained} | {score} |"
        )


MUTABLE = (".py", ".sql")  # the learner files mutants_of can mutate


def is_current(kata: Kata) -> bool:
    """Whether the committed mutants.toml was computed for the kata's present solution and tests; always, for
    a kata with nothing to mutate (its learner files are a Dockerfile, a compose file, a workflow)."""
    if not any(name.endswith(MUTABLE) for name in kata.learner_files):
        return True
    try:
        results = read_results(kata)
    except tomllib.TOMLDecodeError:
        return False
    return results is not None and not stale_parts(kata, results)


def main(
    root: Path, paths: list[str], jobs: int | None, max_mutants: int | None, stale_only: bool = False
) -> int:
    from graders.catalog import select

    katas = select(root, paths)
    if stale_only:
        # The CI gate: only katas whose solution or tests changed since their results were committed.
        katas = [kata for kata in katas if not is_current(kata)]
        print(
            f"mutate --stale: {len(katas)} katas with missing or stale results"
            + (f": {', '.join(k.rel for k in katas)}" if katas else "")
        )
        if not katas:
            return 0
    # A SIGTERM or Ctrl-C kills the running pytest processes too (they would otherwise run on, orphaned).
    with sandbox.graceful_termination() as signals:
        runs = mutate(root, katas, jobs=jobs, max_mutants=max_mutants)
    if signals:
        return 130 if signal.SIGINT in signals else 143
    failing = []
    for run in runs:
        if run.problem or not run.mutants:
            continue
        try:
            results = read_results(run.kata) or {}
        except tomllib.TOMLDecodeError:
            results = {}
        if not results or unexplained(results):
            failing.append(run.kata.rel)
    return 1 if failing else 0
