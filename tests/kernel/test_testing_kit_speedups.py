"""The testing kit compiles templates and URL builders once per run and hashes passwords with
argon2's cheapest parameters (``kernel.testing.speedups``): what a test sees stays what the app
does, only sooner."""

from __future__ import annotations

from argon2 import PasswordHasher
from flask import Flask, url_for
from jinja2 import Environment, FileSystemLoader
from werkzeug.routing import Map, Rule

from kernel.security import passwords
from kernel.testing import speedups


def test_every_app_of_the_run_shares_one_template_cache(make_app):
    cache = Flask.jinja_options["bytecode_cache"]
    assert isinstance(cache, speedups.TemplatesCompiledOnce)
    assert make_app().jinja_env.bytecode_cache is cache is make_app().jinja_env.bytecode_cache


def test_a_template_is_compiled_once_and_again_when_it_changes(tmp_path):
    cache = speedups.TemplatesCompiledOnce()
    (tmp_path / "page.html").write_text("one {{ value }}")
    compiled = []

    def environment():
        made = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
        original = made.compile
        made.compile = lambda *args, **kwargs: compiled.append(args[1]) or original(*args, **kwargs)
        return made

    assert environment().get_template("page.html").render(value=1) == "one 1"
    assert environment().get_template("page.html").render(value=2) == "one 2"
    assert compiled == ["page.html"]
    (tmp_path / "page.html").write_text("two {{ value }}")
    assert environment().get_template("page.html").render(value=3) == "two 3"
    assert compiled == ["page.html", "page.html"]


def test_apps_share_url_builders_and_each_builds_its_own_urls(make_app):
    assert hasattr(Rule._compile_builder, "compiled")
    first, second = make_app(), make_app()
    builders = {(rule.rule, rule.endpoint): rule._build.__func__ for rule in first.url_map.iter_rules()}
    assert all(builders[rule.rule, rule.endpoint] is rule._build.__func__ for rule in second.url_map.iter_rules())
    with second.test_request_context():
        assert url_for("admin.edit_user", user_id=42) == "/admin/users/42/edit"
        assert url_for("admin.restore", plural="clients", record_id=7, next="/") == "/admin/trash/clients/7/restore?next=/"


def test_a_rule_whose_default_fills_a_variable_is_compiled_for_itself():
    filled = Rule("/page/<int:number>", defaults={"number": 1}, endpoint="page")
    plain = Rule("/page/<int:number>", endpoint="plain")
    pages = Map([filled, plain])
    assert speedups.builder_key(filled, append_unknown=True) is None
    assert speedups.builder_key(plain, append_unknown=True) == ("/page/<int:number>", tuple(plain._trace), (), True)
    urls = pages.bind("example.org")
    assert urls.build("page", {}) == "/page/1" and urls.build("plain", {"number": 5}) == "/page/5"


def test_passwords_are_argon2_with_the_cheapest_parameters_and_the_production_hasher_checks_them(make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert PasswordHasher().verify(user.password_hash, "correct horse battery")
    assert passwords.password_matches(user, "correct horse battery")
    assert not passwords.password_matches(user, "wrong horse battery")
