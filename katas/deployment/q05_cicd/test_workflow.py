"""Hidden-test style checks for deployment/q05: a GitHub Actions workflow test → evaluate → build → deploy,
parsed, validated against GitHub's workflow schema and audited by zizmor, all offline."""

import re

import pytest
import yaml

from graders.kit import lint_tools

JOBS = ("test", "evaluate", "build", "deploy")


@pytest.fixture
def workflow(kata):
    data = yaml.safe_load(kata.text("workflow.yml"))
    assert isinstance(data, dict) and isinstance(data.get("jobs"), dict), (
        f"{kata.display('workflow.yml')} has no jobs yet: write the workflow"
    )
    return data


def _triggers(workflow) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on or {}


def _needs(job: dict) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def _ancestors(jobs: dict, name: str) -> set[str]:
    seen, todo = set(), list(_needs(jobs[name]))
    while todo:
        job = todo.pop()
        if job not in seen:
            seen.add(job)
            todo.extend(_needs(jobs.get(job, {})))
    return seen


def test_triggers(workflow):
    on = _triggers(workflow)
    assert "push" in on and "pull_request" in on, (
        f"trigger on push and pull_request, got {sorted(map(str, on))}"
    )
    branches = (on["push"] or {}).get("branches", [])
    assert branches == ["main"] or branches == "main", (
        f"push should trigger for the main branch only, got {branches!r}"
    )


def test_the_four_jobs_and_their_order(workflow):
    jobs = workflow["jobs"]
    missing = [name for name in JOBS if name not in jobs]
    assert not missing, f"jobs {missing} are missing (have {sorted(jobs)})"
    assert "test" in _ancestors(jobs, "evaluate"), "evaluate must need test"
    assert {"test", "evaluate"} <= _ancestors(jobs, "build"), (
        "build must need test and evaluate (directly or not)"
    )
    assert {"test", "evaluate", "build"} <= _ancestors(jobs, "deploy"), (
        "deploy must need build (and so everything)"
    )
    assert not _needs(jobs["test"]), "test is the first job: it needs nothing"


def test_the_quality_gate(workflow):
    evaluate = workflow["jobs"]["evaluate"]
    steps = evaluate.get("steps", [])
    gates = [s for s in steps if "python -m model.evaluate" in str(s.get("run", ""))]
    assert gates, "the evaluate job runs `python -m model.evaluate --min-accuracy <threshold>`"
    match = re.search(r"--min-accuracy[ =]([0-9.]+)", gates[0]["run"])
    assert match and float(match.group(1)) >= 0.9, f"--min-accuracy of at least 0.90, got {gates[0]['run']!r}"
    assert not gates[0].get("continue-on-error") and not evaluate.get("continue-on-error"), (
        "continue-on-error would let a model below the bar through: the gate must fail the job"
    )
    assert not any(job.get("continue-on-error") for job in workflow["jobs"].values()), (
        "no job may ignore its failure"
    )


def test_deploy_only_on_push_to_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    condition = str(deploy.get("if", ""))
    assert "refs/heads/main" in condition and re.search(r"github\.event_name\s*==\s*'push'", condition), (
        f"deploy must run only for a push to main, e.g. if: github.event_name == 'push' && github.ref == "
        f"'refs/heads/main'; got if: {condition!r}"
    )
    assert "||" not in condition, f"an || widens the condition: {condition!r}"
    environment = deploy.get("environment")
    name = environment.get("name") if isinstance(environment, dict) else environment
    assert name == "production", (
        f"deploy targets the 'production' environment (protection rules), got {environment!r}"
    )
    concurrency = deploy.get("concurrency") or workflow.get("concurrency")
    assert concurrency, "deploy needs a concurrency group: never two deployments at once"
    if isinstance(concurrency, dict):
        assert concurrency.get("cancel-in-progress") in (None, False), "never cancel a deployment half-way"


def test_least_privilege_permissions(workflow):
    permissions = workflow.get("permissions")
    assert permissions is not None, (
        "set top-level permissions (e.g. contents: read): the default token may write"
    )
    assert permissions in ({}, {"contents": "read"}), (
        f"top-level permissions should be read-only, got {permissions!r}"
    )


def test_valid_against_githubs_workflow_schema(kata, workflow):
    run = lint_tools.schema_check(kata.path("workflow.yml"), "vendor.github-workflows")
    assert run.ok, f"{kata.display('workflow.yml')} is not a valid GitHub workflow:\n{run.output[-2000:]}"


def test_zizmor_finds_nothing(kata, workflow):
    run = lint_tools.zizmor(kata.path("workflow.yml"))
    assert run.ok, f"zizmor --offline finds problems in {kata.display('workflow.yml')}:\n{run.output[-3000:]}"
