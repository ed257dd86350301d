"""A dataset in memory, and the read-only views of it that narrative templates see."""

from __future__ import annotations

import attrs

from ..figures import FigureError


@attrs.frozen
class Dataset:
    name: str
    file: str
    fields: tuple[str, ...]
    rows: tuple[dict, ...] | None  # None: declared unavailable
    unavailable_reason: str | None = None
    lines: tuple[int, ...] = ()  # the line each row ends on, for messages

    def field_line(self, index: int) -> str:
        return f"line {self.lines[index] if index < len(self.lines) else index + 2}"

    @classmethod
    def unavailable(cls, name: str, file: str, reason: str) -> "Dataset":
        return cls(name, file, (), None, reason)


class Row(dict):
    """A CSV row for templates: a missing column is an error naming the file and its columns."""

    __slots__ = ("_dataset",)

    def __init__(self, values: dict, dataset: Dataset):
        super().__init__(values)
        self._dataset = dataset

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            data = self._dataset
            raise FigureError(f"{data.file} has no column '{key}' (columns: {', '.join(data.fields)})") from None


class Unavailable:
    """A dataset declared unavailable: any use of it in text is an error naming it."""

    def __init__(self, name: str):
        self._name = name

    def __getitem__(self, key):
        raise FigureError(f"dataset '{self._name}' is declared unavailable")

    __getattr__ = __getitem__


class CellText(str):
    """A text cell that remembers where it was read, so a figure that needs a number there can
    name the file, line and column rather than the template that used it."""

    source: tuple[str, str]


class EmptyCell:
    """An empty cell, as a template sees it: prints as nothing, is false, and knows its place."""

    empty = True

    def __init__(self, source: tuple[str, str]):
        self.source = source

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other) -> bool:
        return other is None or isinstance(other, EmptyCell)

    __hash__ = None


def _placed(value, source: tuple[str, str]):
    if value is None:
        return EmptyCell(source)
    if isinstance(value, str):
        text = CellText(value)
        text.source = source
        return text
    return value


class Failed:
    """A dataset whose own error is already reported: a text that uses it stays quiet, rather
    than add an 'undefined' error that only repeats the first."""

    def __init__(self, name: str):
        self._name = name

    def _follow_on(self, *_):
        raise FigureError(f"dataset '{self._name}' could not be read", follow_on=True)

    __getitem__ = __getattr__ = __iter__ = __len__ = __bool__ = _follow_on


def template_value(dataset: Dataset):
    """What a template sees under the dataset's name: a tuple (so no text can reorder it for
    the next) of rows whose text and empty cells know where they were read."""
    if dataset.rows is None:
        return Unavailable(dataset.name)
    return tuple(
        Row({field: _placed(value, (dataset.file, f"{dataset.field_line(index)}, column '{field}'"))
             for field, value in row.items()}, dataset)
        for index, row in enumerate(dataset.rows))
