"""What ``passerelle import`` needs beyond the screens: an entity by name, a mapping from a file."""

from __future__ import annotations

import json
from pathlib import Path

from kernel.entities import Entity
from kernel.importer.files import ImportFileError
from kernel.importer.mapping import guess_mapping, mapping_from_names


def entity_named(name: str) -> Entity | None:
    """An enabled entity by its name or its plural (``client`` or ``clients``)."""
    from kernel.registry import entities

    registry = entities()
    return registry.get(name) or registry.by_plural(name)


def shell_mapping(entity: Entity, headers: list[str], source: str) -> list[str | None]:
    """``"auto"``: guessed from the headers; otherwise a JSON file ``{"column": "field"}``."""
    if source == "auto":
        return guess_mapping(entity, headers)
    try:
        chosen = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportFileError(f"cannot read the mapping file {source}: {error}") from error
    if not isinstance(chosen, dict):
        raise ImportFileError('the mapping file must hold a JSON object {"column": "field"}')
    return mapping_from_names(headers, chosen)
