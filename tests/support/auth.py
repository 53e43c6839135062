"""Accounts for tests, made through the real API (no shortcuts around the auth code)."""

from __future__ import annotations

import itertools
from typing import Any, Protocol

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


class HttpClient(Protocol):
    headers: Any

    def post(self, url: str, **kwargs: Any) -> Any: ...


def setup_admin(client: HttpClient, email: str = "admin@example.org") -> dict[str, str]:
    """Create the first admin and sign the client in as them; returns the token pair."""
    response = client.post("/api/v1/auth/setup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    tokens: dict[str, str] = response.json()
    client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    return tokens


def create_user(admin_client: HttpClient, email: str | None = None, role: str = "user") -> str:
    email = email or f"user{next(_counter)}@example.org"
    response = admin_client.post(
        "/api/v1/admin/users", json={"email": email, "password": PASSWORD, "role": role}
    )
    assert response.status_code == 201, response.text
    return email


def login(client: HttpClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def bearer(tokens: dict[str, str] | str) -> dict[str, str]:
    token = tokens if isinstance(tokens, str) else tokens["access_token"]
    return {"Authorization": f"Bearer {token}"}
