"""``kernel.request_state``: a value worked out once per request (toolkit 1.7), and the kernel's
own per-request values that use it (the templates' CSRF token and nonce, custom fields)."""

import re

import pytest
from flask import g
from flask_wtf.csrf import generate_csrf

from kernel import toolkit
from kernel.request_state import (
    forget_for_request,
    is_kept_for_request,
    keep_for_request,
    once_per_request,
    request_state,
)
from kernel.security.headers import csp_nonce


def test_a_value_is_worked_out_once_per_request_and_again_in_the_next(make_app):
    """(Each request has its own app context, and ``g`` with it, unless one was pushed before.)"""
    app = make_app()
    calls = []

    def work_out():
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        assert once_per_request("answer", work_out) == 1
        assert once_per_request("answer", work_out) == 1
        assert g.answer == 1  # kept in the request's namespace, as g.<key>
    with app.test_request_context("/"):
        assert once_per_request("answer", work_out) == 2
    assert len(calls) == 2


def test_none_is_kept_too(app):
    calls = []
    with app.test_request_context("/"):
        assert once_per_request("nothing", lambda: calls.append(1)) is None
        assert once_per_request("nothing", lambda: calls.append(1)) is None
    assert calls == [1]


def test_outside_a_request_nothing_is_kept(app):
    """A command or the background worker holds one app context for hours: each call asks again."""
    calls = []
    assert request_state() is None
    assert once_per_request("answer", lambda: calls.append(1) or len(calls)) == 1
    assert once_per_request("answer", lambda: calls.append(1) or len(calls)) == 2
    assert "answer" not in g


def test_the_request_state_is_the_namespace_of_g(app):
    with app.test_request_context("/"):
        g.seen = "yes"
        state = request_state()
        assert state["seen"] == "yes"
        state["written"] = 3
        assert g.written == 3


def test_a_value_kept_or_forgotten(make_app):
    """Read with a page's other reads and kept; forgotten after a change, then worked out again."""
    app = make_app()
    with app.test_request_context("/"):
        assert not is_kept_for_request("answer")
        keep_for_request("answer", 41)
        assert is_kept_for_request("answer")
        assert once_per_request("answer", lambda: 0) == 41
        forget_for_request("answer")
        forget_for_request("answer")  # nothing kept: nothing to drop
        assert not is_kept_for_request("answer")
        assert once_per_request("answer", lambda: 42) == 42


def test_outside_a_request_nothing_is_kept_or_forgotten(app):
    keep_for_request("answer", 41)
    assert not is_kept_for_request("answer") and "answer" not in g
    forget_for_request("answer")


def test_plugins_have_it_from_the_toolkit():
    assert toolkit.once_per_request is once_per_request
    assert toolkit.forget_for_request is forget_for_request
    assert {"once_per_request", "forget_for_request"} <= set(toolkit.__all__)
    assert toolkit.TOOLKIT_VERSION >= (1, 7)


def test_the_nonce_is_one_per_request(make_app):
    app = make_app()
    with app.test_request_context("/"):
        first = csp_nonce()
        assert csp_nonce() == first and len(first) >= 24
    with app.test_request_context("/"):
        assert csp_nonce() != first


@pytest.fixture
def protected_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def test_every_form_of_a_page_carries_flask_wtfs_token(protected_app):
    with protected_app.test_request_context("/"):
        template = protected_app.jinja_env.from_string("{{ csrf_token() }} {{ csrf_token() }}")
        first, second = template.render().split()
        assert first == second == generate_csrf()
    page = protected_app.test_client().get("/login").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(tokens) == 1
