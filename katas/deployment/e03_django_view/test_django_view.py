"""Hidden-test style checks for deployment/e03: a prediction view in a minimal in-code Django project."""

import json

import numpy as np
import pytest

LIMIT = 16 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE while the tests run


@pytest.fixture
def project(kata):
    return kata.module("project")


@pytest.fixture
def client(project, iris_model):
    project.configure()
    project.set_model(iris_model)
    from django.test import Client, override_settings

    # Django's settings are process-wide: point the URL configuration at this module for the test.
    with override_settings(ROOT_URLCONF=project.__name__, DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT):
        yield Client(raise_request_exception=False)


def _post(client, body: str):
    return client.post("/predict", data=body, content_type="application/json")


def test_configure_sets_up_django_and_can_be_called_twice(project):
    from django.apps import apps
    from django.conf import settings

    project.configure()
    project.configure()
    assert settings.configured, "configure() must call settings.configure(...)"
    assert apps.ready, "configure() must call django.setup()"


_SETTINGS_PROBE = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("kata_project", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["kata_project"] = module
spec.loader.exec_module(module)
module.configure()
from django.conf import settings
try:
    secret = bool(settings.SECRET_KEY)
except Exception:  # Django refuses to read an empty SECRET_KEY
    secret = False
print(json.dumps({"DEBUG": settings.DEBUG, "SECRET_KEY": secret, "ALLOWED_HOSTS": list(settings.ALLOWED_HOSTS),
                  "ROOT_URLCONF": settings.ROOT_URLCONF, "INSTALLED_APPS": list(settings.INSTALLED_APPS)}))
"""


def test_configure_sets_the_required_settings(kata):
    """Django's settings are process-wide (another kata may have configured them here): check them in a fresh
    process where configure() is the first to run."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _SETTINGS_PROBE, str(kata.path("project.py"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, (
        f"importing {kata.display('project.py')} and calling configure() in a fresh process failed:\n"
        f"{done.stderr[-1500:]}"
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["DEBUG"] is False, "configure() must set DEBUG=False"
    assert found["SECRET_KEY"], "configure() must set a non-empty SECRET_KEY"
    assert "testserver" in found["ALLOWED_HOSTS"], (
        f"ALLOWED_HOSTS must include 'testserver', got {found['ALLOWED_HOSTS']}"
    )
    assert found["ROOT_URLCONF"] == "kata_project", (
        f"ROOT_URLCONF must be the module itself (__name__), got {found['ROOT_URLCONF']!r}"
    )
    assert found["INSTALLED_APPS"] == [], f"INSTALLED_APPS must be [], got {found['INSTALLED_APPS']}"


def test_urlpatterns_route_predict(project, kata):
    from django.urls import resolve

    names = [str(p.pattern) for p in project.urlpatterns]
    assert "predict" in names, (
        f"urlpatterns in {kata.display('project.py')} should route 'predict' (the URL /predict); it has {names}"
    )
    assert resolve("/predict", urlconf=project.__name__).func is not None


def test_predicts_one_row(client, iris_model, iris_data):
    X, _ = iris_data
    response = _post(client, json.dumps({"features": X[120].tolist()}))
    assert response.status_code == 200, (
        f"POST /predict answered {response.status_code}: {response.content[:300]!r}"
    )
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"prediction": int(iris_model.predict(X[120:121])[0])}


def test_seeded_random_rows_match_the_model(client, iris_model):
    rng = np.random.default_rng(21)
    rows = rng.uniform([4, 2, 1, 0.1], [8, 4.5, 7, 2.5], size=(20, 4)).round(3)
    for row in rows:
        got = _post(client, json.dumps({"features": row.tolist()})).json()
        assert got == {"prediction": int(iris_model.predict(row.reshape(1, -1))[0])}, f"row {row.tolist()}"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_405_with_allow_header(client, method):
    response = getattr(client, method)("/predict")
    assert response.status_code == 405, f"{method.upper()} /predict should be 405, got {response.status_code}"
    assert "POST" in response.get("Allow", ""), "a 405 answer says what is allowed: Allow: POST"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('{"features": [1, 2, 3, 4]', "JSON"),
        ("", "JSON"),
        ("not json at all", "JSON"),
        ("[1, 2, 3, 4]", "features"),
        ('{"feature": [1, 2, 3, 4]}', "features"),
        ('{"features": [1, 2, 3]}', "features"),
        ('{"features": [1, 2, "3", 4]}', "features"),
        ('{"features": [1, 2, true, 4]}', "features"),
        ('{"features": null}', "features"),
        ("null", "features"),
        ('{"features": [1, 2, NaN, 4]}', "features"),
        ('{"features": [Infinity, 2, 3, 4]}', "features"),
        ('{"features": [1, 2, 3, 1e400]}', "features"),
        ('{"features": [1, %s, 3, 4]}' % ("9" * 400), "features"),
        (b'{"features": [\xff, 2, 3, 4]}', "JSON"),
        ("[" * 3000 + "]" * 3000, "JSON"),
        ('{"features": ' + "[" * 3000 + "]" * 3000 + "}", "JSON"),
    ],
    ids=lambda value: value if not isinstance(value, str | bytes) or len(value) < 40 else f"{value[:30]!r}…",
)
def test_bad_bodies_are_400_naming_the_problem(client, body, named):
    response = _post(client, body)
    shown = body if len(body) < 120 else f"{body[:60]!r}… ({len(body)} characters)"
    assert response.status_code == 400, f"body {shown} should be answered 400, got {response.status_code}"
    message = response.json().get("error", "")
    assert named in message, f"the error for {shown} should mention {named!r}: got {message!r}"


def test_the_view_is_csrf_exempt(project, iris_model):
    """Programs post without a CSRF cookie: with Django's CSRF middleware on, the view must still answer."""
    from django.test import Client, override_settings

    project.configure()
    project.set_model(iris_model)
    middleware = ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
    with override_settings(ROOT_URLCONF=project.__name__, MIDDLEWARE=middleware):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        response = _post(client, json.dumps({"features": [6.3, 3.3, 6.0, 2.5]}))
    assert response.status_code == 200, (
        f"with CsrfViewMiddleware on, a POST without a CSRF token got {response.status_code}: "
        "mark the API view @csrf_exempt"
    )


def _padded(size: int) -> str:
    """A valid body of exactly `size` bytes: the features and an ignored padding key."""
    head = '{"features": [5.1, 3.5, 1.4, 0.2], "padding": "'
    return head + "x" * (size - len(head) - 2) + '"}'


def test_a_body_over_the_upload_limit_is_413_and_one_at_the_limit_is_served(client):
    at_limit = _post(client, _padded(LIMIT))
    assert at_limit.status_code == 200, (
        f"a body of exactly DATA_UPLOAD_MAX_MEMORY_SIZE ({LIMIT}) bytes is allowed, got {at_limit.status_code}"
    )
    for size in (LIMIT + 1, 100_000):
        response = _post(client, _padded(size))
        assert response.status_code == 413, (
            f"a {size}-byte body (over DATA_UPLOAD_MAX_MEMORY_SIZE = {LIMIT}) should be 413, got "
            f"{response.status_code}: catch RequestDataTooBig when reading request.body"
        )
        assert response["Content-Type"].startswith("application/json") and "error" in response.json(), (
            f"the 413 answer should be JSON {{'error': ...}}, got {response.content[:120]!r}"
        )


def test_fuzzed_requests_get_only_the_answers_the_contract_lists(client, project, kata):
    from django.core.handlers.wsgi import WSGIHandler

    from graders.kit.fuzz import fuzz, kata_contract

    # `client` has configured Django and pointed the settings at this module; fuzz its WSGI handler in-process.
    fuzz(
        WSGIHandler(),
        kata_contract(__file__),  # openapi.yaml, declared in kata.toml
        label=kata.display("project.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
        max_body_bytes=LIMIT,
    )
