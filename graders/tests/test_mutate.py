"""`python -m graders mutate` on throw-away katas, and verify's use of its results and of near misses."""

from __future__ import annotations

import ast
import re
import textwrap

import pytest

from graders.catalog import all_katas
from graders.dev import mutate as mutate_module
from graders.dev.mutate import check_results, mutants_of, mutate, read_results
from graders.dev.verify import verify
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS

SOURCE = textwrap.dedent('''\
    """Module docstring: left alone."""

    import re

    LIMIT = 10  # a module constant
    PATTERN = re.compile(r"[a-z]+")

    QUERY = """
        SELECT c.name, o.total
        FROM customers AS c
        LEFT JOIN orders AS o ON o.customer_id = c.id
        WHERE o.total < 100
        ORDER BY c.name, o.total DESC
    """


    def clip(x: int, low: int = 0, high: int = LIMIT) -> int:
        """Function docstring: left alone."""
        if x < low and not x == high:
            raise ValueError("exception messages are left alone")
        total = x + 1
        total += low * 2
        values = sorted([v for v in range(total) if v % 2], reverse=True)
        label = f"{x} in f-strings is left alone"
        return max(values, default=low) if values else high


    def check(items: list) -> None:
        for item in items:
            if item is None:
                continue
            if item > 3:
                break
        try:
            int("x", 16)
        except ValueError as err:
            raise KeyError("k") from err
        print(items.lower().strip())
        items.append(1)
    ''')


def _diff_lines(mutant) -> tuple[list[str], list[str]]:
    diff = mutant.diff(SOURCE, "demo.py").splitlines()[2:]
    return [d[1:] for d in diff if d.startswith("-")], [d[1:] for d in diff if d.startswith("+")]


def test_operators_produce_valid_distinct_mutants():
    mutants = mutants_of(SOURCE, "demo.py")
    assert len({m.text for m in mutants}) == len(mutants) > 50
    assert len({m.id for m in mutants}) == len(mutants)
    assert [m.id for m in mutants_of(SOURCE, "demo.py")] == [m.id for m in mutants], "ids are deterministic"
    original = ast.dump(ast.parse(SOURCE))
    for mutant in mutants:
        tree = ast.parse(mutant.text)  # valid Python
        compile(tree, "mutant", "exec")
        assert ast.dump(tree) != original, mutant.operator
        removed, added = _diff_lines(mutant)
        assert removed or added, mutant.operator
        # spliced in place: comments and docstrings survive every mutant
        assert "# a module constant" in mutant.text and '"""Function docstring: left alone."""' in mutant.text
        assert "exception messages are left alone" in mutant.text or "statement removed" in mutant.operator
        assert "f-strings is left alone" in mutant.text
        assert ") -> int:" in mutant.text and "(items: list)" in mutant.text, "annotations are left alone"
    operators = {m.operator for m in mutants}
    for expected in (
        "comparison < -> <=",
        "comparison == -> !=",
        "comparison is -> is not",
        "operator + -> -",
        "operator % -> /",
        "operator += -> -=",
        "+= -> =",
        "boolean and -> or",
        "unary operator removed",
        "number 1 -> 2",
        "number 10 -> 0",
        "True -> False",
        "string '[a-z]+' changed",
        "keyword argument reverse=... dropped",
        "keyword argument default=... dropped",
        "arguments 1 and 2 swapped",
        "sorted(...) call removed",
        ".compile(...) call removed",
        "function max() -> min()",
        "method .lower() -> .upper()",
        "default low= -> None",
        "if statement removed",
        "expr statement removed",
        "augassign statement removed",
        "raise statement removed",
        "continue -> break",
        "break -> return",
        "conditional: always the true branch",
        "conditional: always the false branch",
        "comprehension filter dropped",
        "except clause never catches",
        "raise loses its `from` cause",
        "early `return`",
        "SQL LEFT JOIN -> INNER JOIN",
        "SQL < -> <=",
        "SQL ORDER BY term 1 dropped",
        "SQL ORDER BY term 2: DESC dropped",
        "SQL number 100 -> 101",
    ):
        assert expected in operators, f"no mutant for {expected!r}"
    by_operator = {m.operator: m for m in mutants}
    assert _diff_lines(by_operator["comparison < -> <="]) == (
        ["    if x < low and not x == high:"],
        ["    if x <= low and not x == high:"],
    )
    assert _diff_lines(by_operator["SQL LEFT JOIN -> INNER JOIN"]) == (
        ["    LEFT JOIN orders AS o ON o.customer_id = c.id"],
        ["    INNER JOIN orders AS o ON o.customer_id = c.id"],
    ), "SQL is edited inside the string literal, its quotes and layout kept"


def test_sql_files_and_partition_by():
    sql = "SELECT id, RANK() OVER (PARTITION BY a, b ORDER BY t) AS r\nFROM x JOIN y USING (id)\n"
    texts = {m.operator: m.text for m in mutants_of(sql, "query.sql")}
    assert texts["SQL PARTITION BY term 1 dropped"].startswith(
        "SELECT id, RANK() OVER (PARTITION BY b ORDER BY t)"
    )
    assert texts["SQL ORDER BY dropped"].startswith("SELECT id, RANK() OVER (PARTITION BY a, b )")
    assert "FROM x LEFT JOIN y USING (id)" in texts["SQL JOIN -> LEFT JOIN"]
    assert "DENSE_RANK()" in texts["SQL RANK -> DENSE_RANK"]
    assert mutants_of("FROM python:3.11\n", "Dockerfile") == []


AT_LEAST = """
    def at_least(x, low):
        return x if x >= low else low
    """
AT_LEAST_TESTS = """
    def test_at_least(kata):
        at_least = kata.module("demo").at_least
        assert at_least(-5, 0) == 0
        assert at_least(5, 0) == 5
    """
HALF = """
    def half(x):
        return x // 2
    """
HALF_TESTS = """
    def test_half(kata):
        assert kata.module("demo").half(4) == 2
    """


def test_survivors_reported_explained_and_cached(mini_repo, monkeypatch):
    # (a stub that held the solution's code would be given code, left alone)
    stub = "def at_least(x, low):\n    raise NotImplementedError\n"
    mini_repo.add_kata("python_pandas/e01_at_least", stub=stub, solution=AT_LEAST, tests=AT_LEAST_TESTS)
    mini_repo.add_kata(
        "python_pandas/e02_half",
        stub=stub.replace("at_least(x, low)", "half(x)"),
        solution=HALF,
        tests=HALF_TESTS,
    )
    calls: list[int] = []
    real = mutate_module.run_pytest

    def counting(root, targets, **kwargs):
        calls.append(len(targets))
        return real(root, targets, **kwargs)

    monkeypatch.setattr(mutate_module, "run_pytest", counting)
    katas = all_katas(mini_repo.root)
    at_least, half = katas
    lines: list[str] = []
    runs = mutate(mini_repo.root, katas, jobs=1, echo=lines.append)
    output = "\n".join(lines)
    # one baseline and one pytest per round, each round serving both katas of the topic
    assert calls[0] == 2 and calls.count(2) == 1 + 3, calls
    survivors = {run.kata.name: [m.operator for m in run.survivors] for run in runs}
    assert survivors == {"e01_at_least": ["comparison >= -> >"], "e02_half": ["operator // -> /"]}
    assert "FAIL python_pandas/e02_half: 4 mutants (of 4), 3 killed, 1 survived" in output
    assert "-    return x // 2" in output and "+    return x / 2" in output
    assert "| python_pandas | 2 | 7 | 5 | 2 | 0 | 2 | 71 % |" in output

    # verify's view: one unexplained survivor each; the equivalent one, explained, is accepted
    problems, notes = check_results(at_least)
    assert len(problems) == 1 and "comparison >= -> >" in problems[0] and notes == []
    results = read_results(at_least)
    ident = results["survivor"][0]["id"]
    path = at_least.solution_dir / "mutants.toml"
    path.write_text(
        path.read_text().replace(
            "[equivalent]\n", f'[equivalent]\n"{ident}" = "x == low returns low, which is x"\n'
        )
    )
    assert check_results(at_least) == ([], [])
    assert len(check_results(half)[0]) == 1

    # unchanged: nothing runs again, and the explanation is kept
    calls.clear()
    lines.clear()
    mutate(mini_repo.root, katas, jobs=1, echo=lines.append)
    assert calls == [] and "mutate: every result came from the cache" in lines
    assert (
        "ok   python_pandas/e01_at_least: 3 mutants (of 3), 2 killed, 1 survived (1 explained"
        in "\n".join(lines)
    )
    assert read_results(at_least)["equivalent"] == {ident: "x == low returns low, which is x"}

    # a stronger test: its kata's hashes go stale (a note), and only that kata runs again
    test_file = half.dir / "test_demo.py"
    test_file.write_text(test_file.read_text() + "    assert kata.module('demo').half(5) == 2\n")
    problems, notes = check_results(half)
    assert len(problems) == 1 and len(notes) == 1 and "computed for other tests" in notes[0]
    calls.clear()
    runs = mutate(mini_repo.root, katas, jobs=1, echo=lambda _: None)
    assert calls == [1, 1, 1, 1, 1], "the baseline and four mutants of e02 only"
    assert [run.survivors for run in runs][1] == []
    assert check_results(half) == ([], [])


IMPORT_BREAKS = """
    \"\"\"Near miss: a name that does not exist, used at import.\"\"\"
    HELPER = undefined_helper

    def add(a, b):
        return a + b
    """
SYNTAX_BREAKS = """
    \"\"\"Near miss: a syntax error.\"\"\"
    def add(a, b)
        return a + b
    """
OFF_BY_ONE = """
    def add(a, b):
        \"\"\"Near miss: off by one.\"\"\"
        return a + b + 1
    """


def test_verify_counts_only_near_misses_that_fail_an_assertion(mini_repo):
    mini_repo.add_kata(
        "python_pandas/e01_demo",
        stub=ADD_STUB,
        solution=ADD_SOLUTION,
        tests=ADD_TESTS,
        near_misses={
            "import_breaks": IMPORT_BREAKS,
            "off_by_one": OFF_BY_ONE,
            "syntax_breaks": SYNTAX_BREAKS,
        },
    )
    (kata,) = all_katas(mini_repo.root)
    # a committed result with an unexplained survivor, computed for other files
    (kata.solution_dir / "mutants.toml").write_text(
        textwrap.dedent("""\
            solution_hash = "0"
            tests_hash = "0"
            [equivalent]
            "bbb" = "explained"
            [[survivor]]
            id = "aaa"
            file = "demo.py"
            line = 2
            operator = "operator + -> -"
            [[survivor]]
            id = "bbb"
            file = "demo.py"
            line = 2
            operator = "number 1 -> 2"
            """)
    )
    lines: list[str] = []
    (verdict,) = verify(mini_repo.root, [kata], echo=lines.append)
    assert verdict.near_misses == 1
    problems = "\n".join(verdict.problems)
    assert re.search(
        r"near miss import_breaks fails only by NameError at import \(.*undefined_helper.*\): "
        r"it must fail an assertion",
        problems,
    ), problems
    assert "near miss syntax_breaks fails only by SyntaxError at import" in problems
    assert "off_by_one" not in problems
    assert "mutant aaa (demo.py:2, operator + -> -) survives the tests" in problems
    assert "bbb" not in problems
    assert len(verdict.notes) == 1 and "computed for other solution and tests" in verdict.notes[0]
    assert any(line.startswith("       note: mutants.toml was computed") for line in lines)


@pytest.mark.parametrize(
    ("source", "operator"),
    [
        ("def f(x):\n    return (x\n            + 1)  # spans lines\n", "operator + -> -"),
        ("def f(x):\n    return -x ** 2\n", "unary operator removed"),
        ("def f(a, b, c):\n    return a or b and c\n", "boolean and -> or"),
        ("def f(x):\n    return 'é' + x\n", "operator + -> -"),
    ],
)
def test_splices_keep_the_intended_tree(source, operator):
    chosen = [m for m in mutants_of(source, "demo.py") if m.operator == operator]
    assert chosen, [m.operator for m in mutants_of(source, "demo.py")]
    for mutant in chosen:
        ast.parse(mutant.text)
        assert mutant.text.count("\n") == source.count("\n")


def test_given_code_is_left_alone():
    solution = "LIMIT = 3\n\n\ndef reference(x):\n    return x + LIMIT\n\n\ndef mine(x):\n    return x - 1\n"
    stub = "LIMIT = 3\n\n\ndef reference(x):\n    return x + LIMIT\n\n\ndef mine(x):\n    raise NotImplementedError\n"
    mutants = mutants_of(solution, "demo.py", given=stub)
    assert mutants and all(m.line == 9 for m in mutants), [(m.line, m.operator) for m in mutants]
    assert {m.line for m in mutants_of(solution, "demo.py")} == {1, 5, 9}


def test_katas_with_nothing_to_mutate_are_current(mini_repo):
    """A kata whose learner files are no Python or SQL (a Dockerfile) never counts as stale."""
    mini_repo.add_kata("python_pandas/e01_add", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    kata = next(k for k in all_katas(mini_repo.root) if k.name == "e01_add")
    assert not mutate_module.is_current(kata), "a mutable kata without mutants.toml is stale"
    kata.meta["learner_files"] = ["Dockerfile"]
    assert mutate_module.is_current(kata)


def test_two_mutate_runs_saving_the_cache_keep_each_others_results(tmp_path):
    first, second = mutate_module._Cache(tmp_path), mutate_module._Cache(tmp_path)
    first.data["mutants"]["a"] = {"status": "killed", "by": "test_a"}
    second.data["mutants"]["b"] = {"status": "survived", "by": "2 tests passed"}
    first.save()
    second.save()
    assert set(mutate_module._Cache(tmp_path).data["mutants"]) == {"a", "b"}
