"""Reading csec's option values without loading pydantic, which Typer 0.29 uses for every option.

Typer 0.29 checks each option's value with a pydantic TypeAdapter, built when the value is first
read: importing pydantic and building the adapters costs about 0.1 s at every command start, as
much as importing typer, rich and rapidfuzz together. csec's options are plain strings, whole and
decimal numbers within bounds, lists of strings, flags and paths; for these the ordinary, valid
values are read here exactly as pydantic reads them (tests/test_option_values.py compares the
two). Anything else (a value out of bounds, a malformed number, a type not listed) goes to
Typer's own adapter, so every error message and unusual case stays Typer's.

This leans on Typer's private modules (typer._coercion, typer._param_types), so it is used only
with the Typer releases it was read against and is tested with (TESTED_TYPER; pyproject caps
typer below the next one). With any other Typer, or with CSEC_QUICK_VALUES=0 in the environment,
csec leaves Typer's coercion alone and behaves the same, a little slower to start.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_WHOLE = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?")
_NOT_HANDLED = object()

# Typer releases whose private coercion this module was checked against (0.29.0 and 0.29.2 have
# the same typer._coercion, typer._param_types and typer.core; before 0.29 there is no pydantic
# to avoid, and read_values_quickly finds nothing to change).
TESTED_TYPER = ("0.29.",)
# Set to 0 to turn the shortcut off: Typer then reads every value itself.
SWITCH = "CSEC_QUICK_VALUES"


def quick_values_enabled() -> bool:
    """Whether to read values here: on a tested Typer, unless CSEC_QUICK_VALUES=0 turns it off."""
    from typer import __version__ as typer_version

    return os.environ.get(SWITCH) != "0" and typer_version.startswith(TESTED_TYPER)


class QuickValues:
    """A stand-in for Typer's runtime coercion of one parameter (its `coerce` method)."""

    def __init__(self, parameter: Any) -> None:
        self.descriptor = parameter.type_descriptor
        self.info = self.descriptor.parameter_info
        self.annotation = self.descriptor.annotation
        self._typer_coercion: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The value as Typer would give it to the command; Typer's own path when unsure."""
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many:
            if (
                self.annotation == list[str]
                and isinstance(value, list | tuple)
                and all(type(item) is str for item in value)
            ):
                return list(value)
        else:
            result = self._read_one(value, param, ctx)
            if result is not _NOT_HANDLED:
                return result
        return self._fallback().coerce(value, param=param, ctx=ctx)

    def _read_one(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation, info = self.annotation, self.info
        if info.parser is not None or self.descriptor.file_annotation is not None:
            return _NOT_HANDLED
        if annotation is str:
            return value if type(value) is str else _NOT_HANDLED
        if annotation is bool:
            return value if type(value) is bool else _NOT_HANDLED
        if annotation is int or annotation is float:
            return self._read_number(value)
        if annotation is Path and info.path_type is None:
            if type(value) is str and value and "\0" not in value:
                value = Path(value)
            if not isinstance(value, Path):
                return _NOT_HANDLED
            from typer._param_types import coerce_cli_path

            return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
        return _NOT_HANDLED

    def _read_number(self, value: Any) -> Any:
        info, annotation = self.info, self.annotation
        if info.clamp:
            return _NOT_HANDLED
        pattern = _WHOLE if annotation is int else _DECIMAL
        if type(value) is str and pattern.fullmatch(value):
            number = annotation(value)
        elif type(value) is annotation:
            number = value
        else:
            return _NOT_HANDLED
        if (info.min is not None and number < info.min) or (
            info.max is not None and number > info.max
        ):
            return _NOT_HANDLED  # Typer's adapter says what is wrong, in its own words
        return number

    def _fallback(self) -> Any:
        if self._typer_coercion is None:
            from typer._coercion import build_runtime_param

            self._typer_coercion = build_runtime_param(self.descriptor)
        return self._typer_coercion


def read_values_quickly(parameters: Iterable[Any]) -> None:
    """Give each Typer parameter of a click command (its `get_params`) a QuickValues.

    Only parameters built the Typer 0.29 way (a `type_descriptor` and a lazily built
    `_runtime_param`) are changed, and only when quick_values_enabled(); otherwise nothing is.
    """
    if not quick_values_enabled():
        return
    for parameter in parameters:
        if (
            getattr(parameter, "_runtime_param", False) is None
            and getattr(parameter, "type_descriptor", None) is not None
        ):
            parameter._runtime_param = QuickValues(parameter)
