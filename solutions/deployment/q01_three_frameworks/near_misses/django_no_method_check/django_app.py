"""Near miss: the Django view forgets @require_POST: GET /predict is answered 400 instead of 405."""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

_model = None


def _is_number(value) -> bool:
    """A finite JSON number that fits in a float: not a bool, not NaN or ±Infinity, not a 400-digit integer."""
    if isinstance(value, bool) or not isinstance(value, int | float):  # bool is a subclass of int
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _features_problem(body) -> str | None:
    if not isinstance(body, dict) or "features" not in body:  # null, a list, a number, a missing key
        return "the body must be an object with a 'features' key"
    features = body["features"]
    if not isinstance(features, list) or len(features) != 4:
        return "'features' must be a list of 4 numbers"
    if not all(_is_number(v) for v in features):
        return "'features' must hold only finite numbers"
    return None


@require_GET
def health(_request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@csrf_exempt
def predict(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):  # malformed, not UTF-8, or nested too deep to parse
        return JsonResponse({"error": "the body must be valid JSON"}, status=400)
    if problem := _features_problem(body):
        return JsonResponse({"error": problem}, status=422)
    return JsonResponse({"prediction": int(_model.predict([body["features"]])[0])})


urlpatterns = [path("health", health), path("predict", predict)]


def create_app(model):
    """Configure Django in code (once per process), remember the model and return the WSGI application."""
    global _model
    _model = model
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="kata-only-not-a-secret",
            ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=[],
            MIDDLEWARE=[],
        )
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()  # calls django.setup()
