"""config.schema's empty defaults come from Python factories, not the builtins (whose signatures pydantic would
tokenize): the same values, fresh each time."""

from __future__ import annotations

from pydantic import BaseModel

from postmortem_lint.config.schema import BlameConfig, ConfigFile


def _empty_fields(model: type[BaseModel]) -> dict[str, object]:
    return {
        name: field.default_factory()
        for name, field in model.model_fields.items()
        if field.default_factory in (list, dict) or getattr(field.default_factory, "__name__", "").startswith("_empty")
    }


def test_every_empty_default_is_a_fresh_empty_list_or_dict() -> None:
    for model in (ConfigFile, BlameConfig):
        empties = _empty_fields(model)
        assert empties and all(value in ([], {}) for value in empties.values())
        one, other = model(), model()
        for name in empties:
            assert getattr(one, name) == empties[name] and getattr(one, name) is not getattr(other, name)
