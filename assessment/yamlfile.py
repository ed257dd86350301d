"""report.yaml read as it is written: a strict subset of YAML for files others send us.

PyYAML's safe loader follows YAML 1.1, where ``NO`` is false, ``011`` is nine, ``2022-12-01``
a date and ``1.50`` loses its zero; aliases can expand a small file into gigabytes, and a
repeated key silently keeps the later value. Here plain scalars resolve only to null,
true/false, decimal integers without leading zeros, and decimal numbers (which keep the digits
as written); everything else is text. Repeated keys, deep nesting, large files and aliases that
expand past a limit are errors that name their line.

Two loaders keep these rules: ``FastLoader`` on libyaml (PyYAML's C parser; the Medway
report.yaml in about a tenth of the time) reads every file first, and a file it refuses is read
again by ``StrictLoader``, in pure Python, whose errors name the line (the C parser's composing
cannot be followed node by node, so its refusals carry no mark).
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode

from .figures import WrittenNumber

MAX_BYTES = 1_000_000  # a report.yaml is a few kilobytes; narrative lives in Markdown files
MAX_DEPTH = 40
MAX_VALUES = 100_000  # after aliases are expanded; the Medway report has about 1,000


class LimitError(yaml.MarkedYAMLError):
    """A structure this loader refuses; its problem text is meant for the user as it stands."""


def _expanded_size(root) -> int:
    """How many values the document holds once every alias is written out."""
    sizes: dict[int, int] = {}

    def expanded(node) -> int:
        # An alias is the same node object again: memoised, the count is linear in the file
        # while it says how big the document becomes once every alias is written out.
        if id(node) not in sizes:
            children = node.value if isinstance(node, SequenceNode) else \
                [part for pair in node.value for part in pair] if isinstance(node, MappingNode) else []
            sizes[id(node)] = 1 + sum(expanded(child) for child in children)
        return sizes[id(node)]

    return expanded(root)


def _refuse_expansion(root) -> None:
    if root is not None and _expanded_size(root) > MAX_VALUES:
        raise LimitError(None, None, f"its aliases (*name) expand to more than {MAX_VALUES:,} values",
                         root.start_mark)


class StrictLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_document(self):
        root = super().compose_document()
        _refuse_expansion(root)
        return root

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # ``<<: *defaults``: its keys may be overridden here, which is the point
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool, type(None))):
                raise ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
            if key in seen:
                raise ConstructorError(None, None, f"key '{key}' appears twice (first on line {seen[key] + 1})",
                                       key_node.start_mark)
            seen[key] = key_node.start_mark.line
        # Named, not super(): FastLoader borrows this method.
        return SafeConstructor.construct_mapping(self, node, deep=deep)


def _construct_number(loader, node):
    text = loader.construct_scalar(node)
    value = WrittenNumber(text)
    if value in (float("inf"), float("-inf")):
        raise ConstructorError(None, None, f"{text} is too large a number", node.start_mark)
    return value


StrictLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    ("tag:yaml.org,2002:merge", r"^<<$", ["<"]),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$",
     list("-+0123456789.")),
):
    StrictLoader.add_implicit_resolver(tag, re.compile(pattern), first)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)


def _construct_integer(loader, node):
    text = loader.construct_scalar(node)
    if len(text.lstrip("+-")) > 30:
        raise ConstructorError(None, None, f"a whole number of {len(text.lstrip('+-')):,} digits is too large; "
                                           "quote it if it is a code", node.start_mark)
    return int(text)


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_integer)
# Explicit tags beyond the plain ones (!!python/…, !!timestamp, !!binary, !!set …) are refused.
for unwanted in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:set",
                 "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"):
    StrictLoader.yaml_constructors.pop(unwanted, None)


if yaml.__with_libyaml__:
    class FastLoader(yaml.CSafeLoader):
        """The same rules on libyaml. Its composer is C, but it asks the (Python) resolver about
        every node as it goes down and up: the depth is counted there, before a deep file can
        recurse far. Scalars, keys and tags go through the same Python resolver and constructors
        as StrictLoader's."""

        yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers
        yaml_constructors = StrictLoader.yaml_constructors
        construct_mapping = StrictLoader.construct_mapping

        def __init__(self, stream):
            super().__init__(stream)
            self._depth = 0

        def descend_resolver(self, parent, index):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", None)
            return super().descend_resolver(parent, index)

        def ascend_resolver(self):
            self._depth -= 1
            return super().ascend_resolver()

        def get_single_node(self):
            root = super().get_single_node()
            _refuse_expansion(root)
            return root
else:  # a PyYAML built without libyaml: the pure-Python loader alone
    FastLoader = None


def load(text: str):
    """Parse; raises yaml.YAMLError (with a mark where there is one)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise LimitError(None, None, f"is larger than {MAX_BYTES // 1000} kB; move narrative into Markdown files", None)
    if FastLoader is not None:
        try:
            return yaml.load(text, Loader=FastLoader)
        except yaml.YAMLError:
            pass  # refused: StrictLoader refuses it too, and says where
    return yaml.load(text, Loader=StrictLoader)
