"""Flask's JSON answers (``jsonify``, a view returning a dict) written by orjson.

The standard library took 130–170 µs to write an API list answer of 20 clients (sorted keys,
escaped to ASCII); orjson takes about 30 (``bench/README.md``, 2026-12-06, eighth). The values are the
same: keys are sorted as before, and what orjson is not given to write itself (dates and times,
dataclasses, decimals, anything else) goes through Flask's own ``default``, so a date is still an
HTTP date and Markup its text. The text differs only where JSON leaves a choice: characters beyond
ASCII are written as UTF-8 (RFC 8259's encoding), not as ``\\u`` escapes, and nothing but the
compact form is ever written by orjson. A value orjson refuses (an integer beyond 64 bits) is
written by the standard library, which then answers as it always did.
"""

from __future__ import annotations

import orjson
from flask.json.provider import DefaultJSONProvider

COMPACT = (",", ":")
OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
           | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        if kwargs and kwargs != {"separators": COMPACT}:  # indented, or a caller's own options
            return super().dumps(obj, **kwargs)
        return self._written(obj).decode()

    def response(self, *args, **kwargs):
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented for a person reading it
        written = self._written(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(written + b"\n", mimetype=self.mimetype)

    def _written(self, obj) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default, option=OPTIONS)
        except orjson.JSONEncodeError:
            return super().dumps(obj, separators=COMPACT).encode()
