"""Safe YAML loading that keeps file:line:col for every node and bounds what it will build."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, RulekitError, SpecError
from ..source import ScalarSource, Span

MAX_BYTES = 10 * 1024 * 1024
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML when present: same nodes and marks, ~15× faster
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CORE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class Document:
    """A loaded YAML/JSON document: plain data plus where each value came from."""

    file: str
    data: Any
    spans: dict[Path_, Span] = field(default_factory=dict)
    scalars: dict[Path_, ScalarSource] = field(default_factory=dict)

    def span(self, path: Path_) -> Span:
        """The span of the value at `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.spans:
                return self.spans[p]
            p = p[:-1]
        return self.spans.get((), Span(self.file, 1, 1))


def read_text(path: Path, error: type[RulekitError], limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 file, refusing huge or undecodable ones with a diagnostic."""
    name = str(path)
    if path.is_dir():
        raise error.one("E001", f"{name} is a folder, not a file", span=Span(name, 1, 1),
                        hint="name a .yaml file (rulekit validate takes folders)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error.one("E001", f"cannot read {name}: {exc.strerror}", hint="check the path") from None
    if size > limit:
        raise error.one("E002", f"{name} is {size:,} bytes; the limit is {limit:,}",
                        span=Span(name, 1, 1), hint="split the file, or use `rulekit batch` for large inputs")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error.one("E003", f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                        span=Span(name, 1, 1), hint="save the file as UTF-8") from None


def load_yaml(path: Path, *, kind: str = "spec") -> Document:
    """Load one YAML (or JSON) file safely, with positions."""
    error: type[RulekitError] = SpecError if kind == "spec" else InputError
    text = read_text(path, error)
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, name: str, error: type[RulekitError] = SpecError) -> Document:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(name, mark.line + 1, mark.column + 1) if mark else Span(name, 1, 1)
        problem = str(exc.problem or exc.context).replace(" in this context", " here")  # LibYAML's wording
        raise error.one("E010", f"malformed YAML: {problem}", span=span,
                        hint="check indentation, colons and quotes on this line") from None
    except yaml.YAMLError as exc:
        raise error.one("E010", f"malformed YAML: {exc}", span=Span(name, 1, 1)) from None
    doc = Document(name, None)
    if node is None:
        return doc
    builder = _Builder(doc, text, error)
    doc.data = builder.build(node, (), 0)
    return doc


class _Builder:
    """Turns composed YAML nodes into plain values, keeping positions; numbers become exact."""

    def __init__(self, doc: Document, text: str, error: type[RulekitError]) -> None:
        self.doc, self.text, self.error, self.count = doc, text, error, 0

    def span(self, node: yaml.Node) -> Span:
        return Span(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, code: str, msg: str, hint: str) -> RulekitError:
        return self.error.one(code, msg, span=self.span(node), hint=hint)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, "E011", f"document expands to more than {MAX_NODES:,} values",
                            "YAML aliases may be expanding exponentially (an alias bomb); remove them")
        if depth > MAX_DEPTH:
            raise self.fail(node, "E012", f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        self.doc.spans[path] = self.span(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, "E016", f"unsupported YAML tag {node.tag}", "remove the tag")
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, "E016", f"unsupported YAML tag {node.tag}", "remove the tag")
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        raw = self.text[node.start_mark.index:node.end_mark.index]
        self.doc.scalars[path] = ScalarSource(self.span(node), raw, node.value)
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "E013", "merge keys (<<) are not supported",
                                "write the keys out, or use a rule library import")
            key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, dt.date | Decimal | int | bool) or key is None:
                key = None if key is None else str(key)
            if not isinstance(key, str):
                raise self.fail(key_node, "E014", "mapping keys must be plain text", "quote the key")
            if key in out:
                raise self.fail(key_node, "E015", f"duplicate key '{key}'", "remove one of the two entries")
            self.doc.spans[(*path, key)] = self.span(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
            self.doc.spans[(*path, key)] = self.span(value_node)
            self.doc.spans[(*path, "<key>", key)] = self.span(key_node)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        tag = node.tag
        if tag not in _CORE_TAGS:
            raise self.fail(node, "E016", f"unsupported YAML tag {tag}", "remove the tag; specs are plain YAML")
        if tag != "tag:yaml.org,2002:str" and not node.style:  # plain (None with PyYAML, "" with LibYAML)
            return self.plain(node, value)
        return value

    def plain(self, node: yaml.ScalarNode, value: str) -> Any:
        if value in ("null", "Null", "NULL", "~", ""):
            return None
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        if _INT.match(value):
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            try:
                return Decimal(value.replace("_", ""))
            except InvalidOperation:
                return value
        if _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self.fail(node, "E017", f"impossible date {value}",
                                "check the day and month (e.g. February has 28 or 29 days)") from None
        return value
