"""Near miss: takes whatever follows the first space as the token, whatever the scheme, so
`Authorization: Basic <a valid JWT>` is let in; only `Bearer <token>` carries a bearer token."""

from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

AUDIENCE = "predictions-api"
ALGORITHM = "HS256"


# --- given: the body of POST /predict and its 422 answers (use both; see the README) --------------------------

# Each feature a number from -1,000,000 to 1,000,000: NaN, Infinity and floats whose sum would overflow are 422s.
Feature = Annotated[float, Field(ge=-1e6, le=1e6)]


class PredictRequest(BaseModel):
    features: list[Feature] = Field(min_length=4, max_length=4)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead). Register it for
    RequestValidationError."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def _unauthorized(detail: str, error: str | None = None) -> HTTPException:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": challenge})


def create_app(secret: str) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(RequestValidationError, validation_error)

    def claims(request: Request) -> dict:
        """The verified claims of the request's bearer token; 401 when there is none or it is not valid."""
        _, _, token = request.headers.get("Authorization", "").partition(" ")
        if not token:
            raise _unauthorized("missing bearer token")
        try:
            # Pin the algorithm (never trust the token's own "alg": think "none"), check signature, expiry and
            # audience, and insist that the claims we rely on exist.
            return jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["exp", "sub", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise _unauthorized("token expired", "invalid_token") from None
        except jwt.InvalidTokenError as exc:
            raise _unauthorized(f"invalid token: {exc}", "invalid_token") from None

    def require_scope(scope: str):
        def check(token: Annotated[dict, Depends(claims)]) -> dict:
            granted = str(token.get("scope", "")).split()  # OAuth 2: a space-separated list of scopes
            if scope not in granted:
                # Authenticated, but not allowed: 403, not 401 (a new token of the same user would not help).
                raise HTTPException(
                    status_code=403,
                    detail=f"the token lacks the '{scope}' scope",
                    headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
                )
            return token

        return check

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    # Annotated[..., Depends(...)]: the dependency runs before the endpoint, and its HTTPException answers.
    @app.post("/predict")
    def predict(body: PredictRequest, token: Annotated[dict, Depends(require_scope("predict"))]) -> dict:
        return {"prediction": int(sum(body.features)) % 3, "subject": token["sub"]}

    @app.post("/admin/reload")
    def reload(token: Annotated[dict, Depends(require_scope("admin"))]) -> dict:
        return {"reloaded": True, "subject": token["sub"]}

    return app
