from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from transcriber.auth.schemas import (
    Credentials,
    Me,
    PasswordChange,
    RefreshRequest,
    Registration,
    TokenPair,
)
from transcriber.dependencies import ACCESS_COOKIE, AuthServiceDep, PrincipalDep

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _with_cookie(request: Request, response: Response, tokens: TokenPair) -> TokenPair:
    """The web app's audio player cannot send headers, so GETs also accept this cookie."""
    response.set_cookie(
        ACCESS_COOKIE,
        tokens.access_token,
        max_age=tokens.expires_in,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return tokens


@router.post(
    "/setup",
    response_model=TokenPair,
    status_code=status.HTTP_201_CREATED,
    summary="Create the first admin (only while no account exists)",
)
def setup(
    data: Credentials, auth: AuthServiceDep, request: Request, response: Response
) -> TokenPair:
    return _with_cookie(request, response, auth.setup(data.email, data.password))


@router.post(
    "/register",
    response_model=TokenPair,
    status_code=status.HTTP_201_CREATED,
    summary="Create an account, where the admin allows it",
)
def register(
    data: Registration, auth: AuthServiceDep, request: Request, response: Response
) -> TokenPair:
    return _with_cookie(request, response, auth.register(data.email, data.password, data.invite))


@router.post("/login", response_model=TokenPair, summary="Sign in with email and password")
def login(
    data: Credentials, auth: AuthServiceDep, request: Request, response: Response
) -> TokenPair:
    return _with_cookie(request, response, auth.login(data.email, data.password))


@router.post("/refresh", response_model=TokenPair, summary="Swap a refresh token for new tokens")
def refresh(
    data: RefreshRequest, auth: AuthServiceDep, request: Request, response: Response
) -> TokenPair:
    return _with_cookie(request, response, auth.refresh(data.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End this session at once")
def logout(principal: PrincipalDep, auth: AuthServiceDep) -> Response:
    auth.logout(principal)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(ACCESS_COOKIE, path="/")
    return response


@router.get("/me", response_model=Me, summary="Who am I")
def me(principal: PrincipalDep) -> Any:
    user = principal.user
    return Me(
        id=user.id,
        email=user.email,
        role=user.role,
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        auth=principal.kind,
        scope=principal.scope,
    )


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change my password (my other sessions end)",
)
def change_password(
    data: PasswordChange, principal: PrincipalDep, auth: AuthServiceDep
) -> Response:
    auth.change_password(principal, data.current_password, data.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
