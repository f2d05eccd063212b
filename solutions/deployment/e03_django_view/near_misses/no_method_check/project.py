"""Near miss: no @require_POST: a GET is answered 400 (empty body) instead of 405."""

from __future__ import annotations

import json
import math

import django
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

_model = None


def configure() -> None:
    """Configure Django in code (no settings.py, no manage.py); calling it again does nothing."""
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="kata-only-not-a-secret",
            ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"],
            ROOT_URLCONF=__name__,  # this very module holds urlpatterns
            INSTALLED_APPS=[],  # no ORM, no admin: a JSON view needs none of them
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        )
    django.setup()


def set_model(model) -> None:
    """The model the view serves."""
    global _model
    _model = model


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@csrf_exempt  # an API called by programs, not a browser form: no CSRF cookie involved
def predict(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error("the request body must be valid JSON")
    if not isinstance(body, dict) or "features" not in body:
        return _error("the body must be a JSON object with a 'features' key")
    features = body["features"]
    if (
        not isinstance(features, list)
        or len(features) != 4
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in features
        )
    ):
        return _error("'features' must be a list of 4 finite numbers")
    prediction = _model.predict([features])[0]
    return JsonResponse({"prediction": int(prediction)})


urlpatterns = [path("predict", predict)]
