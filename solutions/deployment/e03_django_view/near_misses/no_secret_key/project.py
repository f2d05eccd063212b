"""Near miss: configure() leaves out SECRET_KEY; the view works, but Django requires a non-empty SECRET_KEY
and anything that signs (sessions, messages, password resets) fails with ImproperlyConfigured."""

from __future__ import annotations

import json
import math

import django
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

_model = None


def configure() -> None:
    """Configure Django in code (no settings.py, no manage.py); calling it again does nothing."""
    if not settings.configured:
        settings.configure(
            DEBUG=False,
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


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _is_number(value) -> bool:
    """A finite JSON number that fits in a float: not a bool, not NaN or ±Infinity, not a 400-digit integer."""
    if isinstance(value, bool) or not isinstance(value, int | float):  # bool is a subclass of int
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


@csrf_exempt  # an API called by programs, not a browser form: no CSRF cookie involved
@require_POST  # anything else: 405 with an Allow: POST header
def predict(request: HttpRequest) -> JsonResponse:
    try:
        raw = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: Django's own answer would be an HTML 400
        return _error(f"request body larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes", 413)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # malformed, not UTF-8, or nested too deep to parse
        return _error("the request body must be valid JSON")
    if not isinstance(body, dict) or "features" not in body:  # null, a list, a number, a missing key
        return _error("the body must be a JSON object with a 'features' key")
    features = body["features"]
    if not isinstance(features, list) or len(features) != 4 or not all(_is_number(v) for v in features):
        return _error("'features' must be a list of 4 finite numbers")
    prediction = _model.predict([features])[0]
    return JsonResponse({"prediction": int(prediction)})


urlpatterns = [path("predict", predict)]
