"""Who the user is and where the app runs (no Streamlit: the rules only)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

LOCAL_USER = "local"
# A sign-in whose identity token states no expiry ends this long after the token was issued.
MAX_SIGN_IN_HOURS = 24


def auth_configured(secrets: Mapping) -> bool:
    """True when secrets hold an [auth] section for st.login (OIDC)."""
    try:
        auth = secrets.get("auth")
    except Exception:
        return False
    return (
        auth is not None
        and bool(auth)
        and hasattr(auth, "get")
        and bool(auth.get("redirect_uri") or auth.get("client_id") or any(hasattr(v, "get") for v in auth.values()))
    )


def user_id_from_claims(claims: Mapping) -> str:
    """A stable, opaque id for a signed-in person: issuer + subject, hashed.

    `sub` is the identity provider's permanent id; email can change or be reused,
    so it is only a fallback. Hashing keeps raw identifiers out of the data file.
    """
    issuer = str(claims.get("iss") or "")
    subject = claims.get("sub")
    if subject:
        basis = f"{issuer}|{subject}"
    elif claims.get("email"):
        basis = f"email|{str(claims['email']).strip().lower()}"
    else:
        raise ValueError("the identity token has neither a subject nor an email")
    return "oidc-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def sign_in_expired(claims: Mapping, now: float) -> bool:
    """True once the identity token has expired (`exp`, seconds since 1970), or MAX_SIGN_IN_HOURS after it
    was issued (`iat`) when it states no expiry. Streamlit keeps its sign-in cookie for 30 days without
    looking at either, so a copied cookie would otherwise stay good until the cookie secret changes.
    A token with neither is expired: nothing says how old it is."""

    def seconds(key: str) -> float | None:
        try:
            return float(claims[key])
        except (KeyError, TypeError, ValueError):
            return None

    expires, issued = seconds("exp"), seconds("iat")
    if expires is not None:
        return now >= expires
    return issued is None or now >= issued + MAX_SIGN_IN_HOURS * 3600


def is_hosted(env: Mapping[str, str] | None = None, cwd: str | None = None, secrets: Mapping | None = None) -> bool:
    """Running on a shared host (Streamlit Community Cloud, or REBOUND_HOSTED=1) rather than locally."""
    env = os.environ if env is None else env
    cwd = os.getcwd() if cwd is None else cwd
    flag = str(env.get("REBOUND_HOSTED", "") or (secrets or {}).get("REBOUND_HOSTED", "")).lower()
    if flag in ("1", "true", "yes"):
        return True
    if flag in ("0", "false", "no"):
        return False
    # Community Cloud checks out the repository under /mount/src and names its host "streamlit".
    return cwd.startswith("/mount/src") or env.get("HOSTNAME") == "streamlit"
