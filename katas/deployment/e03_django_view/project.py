"""Kata deployment/e03: a minimal Django project in one module, with a prediction view. Edit this file."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

FILE = "katas/deployment/e03_django_view/project.py"


def configure() -> None:
    """Configure Django in code with settings.configure(...) and django.setup(); a second call does nothing."""
    raise NotImplementedError(f"configure: write it in {FILE}")


def set_model(model) -> None:
    """Remember the model the prediction view serves."""
    raise NotImplementedError(f"set_model: write it in {FILE}")


def predict(request: HttpRequest) -> JsonResponse:
    """POST /predict: {"features": [4 numbers]} -> {"prediction": int}; 405 for other methods; 400 on bad bodies."""
    raise NotImplementedError(f"predict: write it in {FILE}")


urlpatterns = []  # TODO: route "predict" to the view
