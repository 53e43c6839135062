from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from transcriber.users.models import User

# Until accounts exist, everything on a loopback-only server belongs to this one user.
LOCAL_USER_EMAIL = "local@transcriber.invalid"


def get_or_create_local_user(session: Session) -> User:
    user = session.scalar(select(User).where(User.email == LOCAL_USER_EMAIL))
    if user is None:
        user = User(email=LOCAL_USER_EMAIL, role="admin")
        session.add(user)
        session.flush()
    return user
