"""What makes each test pay again for work that does not change between tests.

- Templates and URL builders are compiled once per test run, not once per test. Every test builds
  a new app, and a new app compiles its templates and its URL rules anew: about a quarter of a
  second a test, most of it in ``compile()`` (a Jinja template compiled to Python, werkzeug's
  builder function for each of the app's two hundred URL rules). What they compile depends only on
  the template's source and on the rule's text, so one compilation serves every app of the run.
- Passwords are hashed with argon2's cheapest parameters. The production cost (64 MiB, three
  passes) is there to slow an attacker down; in the suite it took a tenth to a third of a second
  for each user made and each login, which most tests do. The hashing and the check stay argon2's
  own, and a hash made in the tests is checked by the production hasher too (argon2 reads the
  parameters from the hash); Django's documentation advises the same for test settings.

Production builds one app per process, with its own hasher, and none of this is installed there.
"""

from __future__ import annotations

from functools import wraps

from argon2 import PasswordHasher
from flask import Flask
from jinja2 import BytecodeCache
from werkzeug.routing import Rule


class TemplatesCompiledOnce(BytecodeCache):
    """Jinja's bytecode cache, kept in memory for the test process. Jinja keys a template by its
    name and file and checks the source's checksum, so a changed template is compiled again."""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._compiled.clear()


def builder_key(rule: Rule, append_unknown: bool):
    """What werkzeug's builder of ``rule`` is made of, or None when a default of the rule fills one
    of its variables (the builder then holds the converter's output, which is left uncached)."""
    defaults = rule.defaults or {}
    if any(is_dynamic and name in defaults for is_dynamic, name in rule._trace):
        return None
    return rule.rule, tuple(rule._trace), tuple(str(name) for name in defaults), append_unknown


def share_url_builders(compile_builder):
    """Wrap ``Rule._compile_builder``: the builder is a plain function of the rule (it is bound to
    each rule afterwards), so the one compiled for a rule's text serves every app's same rule."""
    compiled = {}

    @wraps(compile_builder)
    def compile_once(self, append_unknown=True):
        try:
            key = builder_key(self, append_unknown)
        except AttributeError:  # a werkzeug whose rules are made otherwise
            key = None
        if key is None:
            return compile_builder(self, append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    compile_once.compiled = compiled
    return compile_once


def cheapest_password_hasher() -> PasswordHasher:
    """argon2id with the smallest parameters it accepts (one pass, 8 KiB, one lane)."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def install() -> None:
    """Called once by the testing kit's ``pytest_configure``. The URL builders' part is left out
    if werkzeug no longer has the method it wraps, and a rule made otherwise is compiled for
    itself: the tests then run as before, only slower."""
    from kernel.security import passwords

    passwords.hasher = cheapest_password_hasher()
    passwords._dummy_hash.cache_clear()
    if "bytecode_cache" not in Flask.jinja_options:
        Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TemplatesCompiledOnce()}
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is not None and not hasattr(compile_builder, "compiled"):
        Rule._compile_builder = share_url_builders(compile_builder)
