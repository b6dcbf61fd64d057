"""A Streamlit client without a browser, for ``mapa bench load --client websocket``.

It speaks the app's own protocol on ``/_stcore/stream`` (protobuf messages over a websocket,
``streamlit.proto``), as Streamlit's frontend does: a ``BackMsg`` asking for a script run of
a page (with the page's URL, time zone and locale, and the widgets' values), then the
``ForwardMsg``s of that run until its ``script_finished``. Nothing is drawn: a page counts as
served when its run has ended and its map component's element (the whole folium map, which
the browser would then draw) has arrived.

A login is the sidebar's form, submitted as the frontend submits it (both fields' values and
the form's submit button triggered, by the widget ids the page's elements carry); the app
answers with the redirect to its cookie route (an ``auth_redirect`` message), which this
client requests over HTTP to receive the login cookie, sent with every later connection.

Why not Chromium for every simulated user: on a small machine the browsers, not the app,
take the cores (each page load parses and compiles Streamlit's frontend), so fifty browser
users measure Chromium. This client costs the machine almost nothing and leaves the cores to
the app processes and the database; the figures are then the server's, without the
frontend's own seconds (``mapa bench pages`` measures those, one user at a time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import httpx
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Button_pb2 import Button
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.TextInput_pb2 import TextInput
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from layers.access.sessions import COOKIE

STREAM_PATH: Final = "/_stcore/stream"
#: What the frontend tells the app of the browser (``st.context``): a Czech user in Prague.
TIMEZONE: Final = "Europe/Prague"
LOCALE: Final = "cs-CZ"


class ProtocolError(Exception):
    """The app answered in a way no page of it should (no login form, no redirect, no
    cookie, an exception shown on the page)."""


@dataclass
class Run:
    """What one script run sent: its elements, the page's script hash, the map components
    among the elements, the login redirect (if any) and the exceptions shown."""

    elements: list[Element] = field(default_factory=list)
    page_hash: str = ""
    maps: int = 0
    redirect: str | None = None
    exceptions: list[str] = field(default_factory=list)


class StreamlitClient:
    """One user of the app at ``url`` (``http://host:port``), like one browser tab: each
    :meth:`open` is a page load (a new connection, the previous one closed), a login submits
    the form of the page open, and the login cookie is sent with every later connection.
    :meth:`close` ends the last connection."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.cookie = ""
        self._socket: ClientConnection | None = None
        self._page = ""
        self._shown = Run()

    async def open(self, page: str) -> Run:
        """Load ``page`` (its URL path, "" for the main page): connect and wait for the end
        of its first script run. Raises :class:`ProtocolError` for an exception on the page,
        ``websockets`` errors for a refused or lost connection."""
        await self.close()
        scheme, rest = self.url.split("://", 1)
        self._socket = await connect(
            f"{'wss' if scheme == 'https' else 'ws'}://{rest}{STREAM_PATH}",
            subprotocols=[Subprotocol("streamlit")],
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
            max_size=None)
        self._page = page
        self._shown = await self._run([])
        return self._shown

    async def log_in(self, username: str, password: str) -> None:
        """Submit the open page's sidebar login form with ``username`` and ``password`` and
        fetch the login cookie from the redirect the app answers with. Raises
        :class:`ProtocolError` when the page has no login form, the app sends no redirect
        (a refused login) or the cookie route sets no cookie."""
        answer = await self._run(_login_states(self._shown, username, password))
        if answer.redirect is None:
            raise ProtocolError("the login was not accepted (no redirect to the cookie route)")
        self.cookie = await _cookie_from(self.url, answer.redirect)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def _run(self, widgets: list[WidgetState]) -> Run:
        if self._socket is None:
            raise ProtocolError("no page is open")
        request = BackMsg()
        state = request.rerun_script
        state.page_name = self._page
        state.page_script_hash = self._shown.page_hash
        state.context_info.url = f"{self.url}/{self._page}"
        state.context_info.timezone = TIMEZONE
        state.context_info.locale = LOCALE
        state.widget_states.widgets.extend(widgets)
        await self._socket.send(request.SerializeToString())
        run = Run(page_hash=self._shown.page_hash)
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                run.page_hash = message.new_session.page_script_hash
            elif kind == "auth_redirect":
                run.redirect = message.auth_redirect.url
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _take(run, message.delta.new_element)
            elif kind == "script_finished" \
                    and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if run.exceptions:
                    raise ProtocolError(run.exceptions[0])
                return run


def has_login_form(run: Run) -> bool:
    """Whether the page of ``run`` offers the login form (nobody is logged in); a logged-in
    page's form for a new password is not one."""
    return _login_form(run) is not None


def _take(run: Run, element: Element) -> None:
    run.elements.append(element)
    kind = element.WhichOneof("type")
    if kind == "component_instance":
        run.maps += 1
    elif kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")


def _login_form(run: Run) -> tuple[TextInput, TextInput, Button] | None:
    """The login form's user field, password field and submit button among the elements of
    ``run``: the form holding a plain text field and a password field."""
    fields = [e.text_input for e in run.elements if e.WhichOneof("type") == "text_input"]
    buttons = [e.button for e in run.elements
               if e.WhichOneof("type") == "button" and e.button.is_form_submitter]
    for name in (f for f in fields if f.type == TextInput.DEFAULT and f.form_id):
        secret = next((f for f in fields if f.type == TextInput.PASSWORD
                       and f.form_id == name.form_id), None)
        submit = next((b for b in buttons if b.form_id == name.form_id), None)
        if secret is not None and submit is not None:
            return name, secret, submit
    return None


def _login_states(shown: Run, username: str, password: str) -> list[WidgetState]:
    """The widget values the frontend sends when the login form is submitted: its user and
    password fields and its submit button."""
    form = _login_form(shown)
    if form is None:
        raise ProtocolError("the page shows no login form")
    name, secret, submit = form
    return [WidgetState(id=name.id, string_value=username),
            WidgetState(id=secret.id, string_value=password),
            WidgetState(id=submit.id, trigger_value=True)]


async def _cookie_from(url: str, target: str) -> str:
    """Request ``target`` (a path of the app at ``url``) without following its redirect;
    the login cookie it sets, as a ``Cookie`` header's value."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        response = await http.get(target)
    value = response.cookies.get(COOKIE)
    if not value:
        raise ProtocolError(f"the cookie route answered {response.status_code} without a cookie")
    return f"{COOKIE}={value}"
