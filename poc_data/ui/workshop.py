"""Streamlit glue of the Workshop page: the shared store, guarded actions, the join link and its QR code."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from poc_data import i18n
from poc_data.i18n import _
from poc_data.workshop import (
    StoreUnavailable,
    WorkshopError,
    WorkshopStore,
    client_key,
    default_url,
    trusted_proxies,
)

CODE_PARAM = "ws_code"
ME_PARAM = "ws_me"
JOIN_PATH = "join"
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


@st.cache_resource(show_spinner=False)
def _store(url: str) -> WorkshopStore:
    # One store (and one connection pool) per database for the whole server: the state itself is in the database.
    return WorkshopStore(url)


def store() -> WorkshopStore | None:
    """The workshop store of this server, or None after saying why the database cannot be used and what to do."""
    try:
        return _store(default_url())
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/database_off:")
        return None


def attempt(action: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a store action; on refusal show its plain message (never a traceback) and return (False, None)."""
    try:
        return True, action(*args, **kwargs)
    except WorkshopError as error:
        st.error(str(error), icon=":material/block:")
    except SQLAlchemyError as error:
        st.error(
            _("The workshop database did not answer ({error}); try again in a moment.").format(
                error=error.__class__.__name__
            ),
            icon=":material/database_off:",
        )
    return False, None


def page_origin() -> str:
    """The address this page was opened at (scheme, host and port), as the browser sent it."""
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "http://localhost:8501"
    return origin if _ORIGIN.match(origin) else "http://localhost:8501"


def valid_origin(text: str) -> str | None:
    """An address typed by the facilitator (`http://192.168.1.20:8501`), or None if it is not one."""
    text = text.strip().rstrip("/")
    return text if _ORIGIN.match(text) else None


def join_link(origin: str, code: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The participants' link: the light join page (poc_data.join_page) with the join code and, when the facilitator
    runs the session in another language than English, that language; nothing else (never the key)."""
    query = {"code": code} if language == i18n.DEFAULT_LANGUAGE else {"code": code, "lang": language}
    return f"{origin}/{JOIN_PATH}?{urlencode(query)}"


def qr_png(link: str) -> bytes:
    """The link as a QR code, drawn here (no service is asked)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2, dark="#000000", light="#FFFFFF")
    return buffer.getvalue()


BROWSER_COOKIE = "poc_ws_browser"


def browser_token() -> str:
    """The browser's own token: the light join page's cookie when the browser has one, else this Streamlit session's
    id (one tab), so that no two browsers ever share one."""
    cookie = st.context.cookies.get(BROWSER_COOKIE)
    if isinstance(cookie, str) and 16 <= len(cookie) <= 64:
        return cookie
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    return f"session:{context.session_id if context else 'none'}"


def client_address() -> str:
    """Who is asking, for the join limiter: `workshop.client_key` of the connection's address, X-Forwarded-For and
    the browser's token."""
    return client_key(
        getattr(st.context, "ip_address", None),
        st.context.headers.get("X-Forwarded-For"),
        browser_token(),
        trusted_proxies(),
    )
