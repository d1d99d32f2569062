"""File identification numbers made from the format an administrator sets, such as
``SAE-{year}-{seq:04d}``: ``{year}`` is the current year, ``{seq}`` a sequence that starts again
at 1 for every value of the rest of the format (so every year with the example)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from kernel.toolkit import TEXT_MAX, clock, db, is_taken
from kernel.toolkit import gettext as _

DEFAULT_FORMAT = "SAE-{year}-{seq:04d}"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SEQ = re.compile(r"^seq(?::0?(\d{1,2})d)?$")


def format_problem(number_format: str) -> str | None:
    """A translated sentence saying what is wrong with a format, or ``None``."""
    number_format = (number_format or "").strip()
    if not number_format:
        return _("This field is required.")
    names = PLACEHOLDER.findall(number_format)
    unknown = [name for name in names if name != "year" and not SEQ.match(name)]
    stray_brace = any(brace in PLACEHOLDER.sub("", number_format) for brace in "{}")
    if unknown or stray_brace:
        return _("Use only {year} and {seq} (or {seq:04d} for four digits) between braces.")
    if sum(1 for name in names if SEQ.match(name)) != 1:
        return _("The format needs {seq} exactly once: it is what makes each number different.")
    if len(render(number_format, 9999, clock.today().year)) > TEXT_MAX:
        return _("At most %(count)d characters.", count=TEXT_MAX)
    return None


def _replace(number_format: str, seq_text: str, year: int) -> str:
    def one(match):
        name = match.group(1)
        return str(year) if name == "year" else seq_text

    return PLACEHOLDER.sub(one, number_format)


def render(number_format: str, seq: int, year: int) -> str:
    """The number of sequence ``seq`` in ``year`` (``{seq:04d}`` pads with zeros to four digits)."""
    seq_name = next(name for name in PLACEHOLDER.findall(number_format) if SEQ.match(name))
    width = int(SEQ.match(seq_name).group(1) or 0)
    return _replace(number_format, f"{seq:0{width}d}", year)


def next_file_number(entity, name: str, today: date | None = None) -> str:
    """The first free number after the greatest one of this year's pattern."""
    from plugins.sae.settings import file_number_format

    number_format = file_number_format()
    year = (today or clock.today()).year
    prefix, _seq, suffix = _replace(number_format, "\0", year).partition("\0")
    column = getattr(entity.model, name)
    pattern = _like_escape(prefix) + "%" + _like_escape(suffix)
    greatest = db.session.scalars(
        select(column).where(column.like(pattern, escape="\\"))
        .order_by(func.length(column).desc(), column.desc()).limit(20)
    ).all()
    seq = max((_seq_of(value, prefix, suffix) for value in greatest), default=0) + 1
    while is_taken(entity, name, render(number_format, seq, year), None):
        seq += 1
    return render(number_format, seq, year)


def _seq_of(value: str, prefix: str, suffix: str) -> int:
    middle = value[len(prefix):len(value) - len(suffix) if suffix else None]
    return int(middle) if middle.isdigit() else 0


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
