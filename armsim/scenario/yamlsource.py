"""Read YAML text into plain data, remembering where every value came from.

This is the only place armsim parses YAML. It composes the document with
PyYAML's *safe* loader (no constructor for arbitrary tags exists, so nothing in a
file can run code) and then builds the Python values itself, which lets it:

- refuse any tag that is not plain data (``!!python/...``, ``!!binary``, custom
  tags) without constructing it;
- report duplicate keys (PyYAML silently keeps the last);
- remember the line and column of every key and value, so that later checks
  can say ``FILE:LINE:COL``;
- remember the plain scalars that YAML 1.1 reads as booleans although they look
  like names (``NO``, ``yes``, ``off``), so that a check expecting a name can say
  why it got a boolean;
- bound the work a file can cause (size, and alias expansion).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from armsim.scenario.magnitude import BOUND
from armsim.scenario.problems import Path, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_TRUE_FALSE = {"true", "false", "True", "False", "TRUE", "FALSE"}


@dataclass
class Source:
    """Plain data read from YAML, with the position of every value.

    ``values[path]`` and ``keys[path]`` are 1-based ``(line, column)`` of the
    value at ``path`` and of the key that names it.
    """

    data: Any
    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    yaml11_booleans: dict[Path, str] = field(default_factory=dict)
    refused: set[Path] = field(default_factory=set)  # values dropped for a forbidden tag

    def locate(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of ``path`` (its key if ``key``), else of its nearest ancestor."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            where = table.get(path[:cut]) or self.values.get(path[:cut])
            if where:
                return where
        return None, None

    def problem(self, path: Path, message: str, *, key: bool = False,
                severity: str = "error") -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(message, path, self.file, line, column, severity)  # type: ignore[arg-type]


class _Builder:
    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []
        self.nodes = 0
        self.constructor = SafeConstructor()

    def fail(self, node: Node, path: Path, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(message, path, self.source.file, mark.line + 1, mark.column + 1))

    def build(self, node: Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        self.source.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(node, path, f"the tag '{tag}' is not allowed: scenario files hold "
                      "plain data only (names, numbers, lists, mappings); remove the tag")
            self.source.refused.add(path)
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.tag == "tag:yaml.org,2002:bool" and node.style is None \
                and node.value not in _TRUE_FALSE:
            self.source.yaml11_booleans[path] = node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:  # Python reads at most 4300 digits of a whole number
            digits = sum(c.isdigit() for c in node.value)
            self.fail(node, path, f"this whole number has {digits:,} digits: far too large "
                      f"(a number in a scenario lies between -{BOUND} and {BOUND})")
            self.source.refused.add(path)
            return None

    def mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(self.merge(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.fail(key_node, path, "a key must be a plain name")
                continue
            key = self.scalar(key_node, path + ("<key>",))
            self.source.yaml11_booleans.pop(path + ("<key>",), None)
            if isinstance(key, bool) and key_node.style is None:
                key = key_node.value  # `NO:` as a key means the name NO, never False
            if not isinstance(key, (str, int)):
                self.fail(key_node, path, f"the key '{key_node.value}' must be a name")
                continue
            if key in first_seen:
                self.fail(key_node, path + (key,),
                          f"duplicate key '{key}' (first at line {first_seen[key]}); YAML "
                          "would silently keep only the last one: remove one of them")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source.keys[path + (key,)] = (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1)
            out[key] = self.build(value_node, path + (key,))
        return {**{k: v for k, v in merged.items() if k not in out}, **out}

    def merge(self, node: Node, path: Path) -> dict[Any, Any]:
        items = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[Any, Any] = {}
        for item in items:
            value = self.build(item, path)
            if isinstance(value, dict):
                merged = {**value, **merged}
            else:
                self.fail(item, path, "a merge key '<<' must name a mapping")
        return merged


class _TooLarge(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading ``1e5`` and ``6e-1`` as numbers as YAML 1.2 does
    (YAML 1.1 wants a dot, ``1.0e+5``, and PyYAML reads the short forms as text)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."))


# what a path may be instead of a regular file, and what to say about it
_NOT_A_FILE = (
    (stat.S_ISDIR, "this is a folder, not a scenario file"),
    (stat.S_ISFIFO, "this is a named pipe (FIFO), not a scenario file: armsim reads a "
                    "scenario from a regular file, whole, so save it to one first"),
    (stat.S_ISCHR, "this is a character device (such as /dev/zero or a terminal), not a "
                   "scenario file: give the path of a YAML file"),
    (stat.S_ISBLK, "this is a block device (a disk), not a scenario file: give the path of a "
                   "YAML file"),
    (stat.S_ISSOCK, "this is a socket, not a scenario file: give the path of a YAML file"),
)


def _too_large(size: int) -> str:
    return (f"the file is {size / 2**20:.1f} MiB; a scenario is at most "
            f"{MAX_BYTES // 2**20} MiB of YAML: is this the right file?")


def read_file(path: str | os.PathLike[str], file: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a scenario file, refusing what is not a regular file or is too large.

    Nothing here can block or exhaust memory: the kind of file is looked up before it is
    opened (a named pipe would wait for a writer), it is opened without blocking all the
    same (in case it was swapped meanwhile), and at most ``MAX_BYTES + 1`` bytes are read
    (a device such as /dev/zero never ends).
    """
    def refuse(message: str, *, at_start: bool = False) -> tuple[None, list[Problem]]:
        where = (1, 1) if at_start else (None, None)  # a file not read has no line to show
        return None, [Problem(message, (), file, *where)]

    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
            return refuse(_too_large(info.st_size), at_start=True)
        if not stat.S_ISREG(info.st_mode):
            return refuse(_not_a_file(info.st_mode))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return refuse(_not_a_file(mode))
            return handle.read(MAX_BYTES + 1), []
    except (FileNotFoundError, NotADirectoryError):
        return refuse("no such file; check the path")
    except ValueError:  # os.stat refuses a path with a NUL character in it
        return refuse("this path cannot name a file: it holds a NUL character")
    except OSError as exc:
        return refuse(f"cannot read the file: {exc.strerror or exc}")


def _not_a_file(mode: int) -> str:
    return next((say for test, say in _NOT_A_FILE if test(mode)),
                "this is not a regular file: give the path of a YAML file")


def read_text(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode a scenario file, refusing empty, binary and enormous ones."""
    def refuse(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(message, (), file, 1, 1)]

    if len(raw) > MAX_BYTES:
        return refuse(_too_large(len(raw)))
    if b"\x00" in raw:
        return refuse("this is a binary file, not a YAML scenario")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return refuse(f"the file is not UTF-8 text (byte {exc.start}): save it as UTF-8")
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip()
                                for line in text.splitlines()):
        return refuse("the file is empty: a scenario needs at least 'armsim: 1', "
                      "'name' and 'actors' (and, to negotiate, 'issues' and 'sessions')")
    return text, []


def _syntax(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, with its context: where the unfinished construct began."""
    what, context, begun = exc.problem or "invalid YAML", exc.context, exc.context_mark
    if not context:
        return what
    if not context.startswith("while"):
        return f"{context}, {what}"  # "expected a single document..., but found another"
    where = f" that began at line {begun.line + 1}, column {begun.column + 1}" if begun else ""
    return f"{what} ({context}{where})"


def parse(text: str, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text into a :class:`Source`; problems instead of exceptions."""
    source = Source(None, file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return None, [Problem(f"invalid YAML: {_syntax(exc)}", (), file, line, col)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"invalid YAML: {exc}", (), file, 1, 1)]
    except RecursionError:
        return None, [Problem("the YAML is nested too deeply", (), file, 1, 1)]
    if node is None:
        return None, [Problem("the file holds no YAML document", (), file, 1, 1)]
    builder = _Builder(source)
    try:
        source.data = builder.build(node, ())
    except _TooLarge:
        return None, [Problem(f"the file expands to more than {MAX_NODES:,} values (aliases "
                              "repeated too often?); a scenario is far smaller", (), file, 1, 1)]
    except RecursionError:
        return None, [Problem("the YAML is nested too deeply (recursive alias?)", (), file, 1, 1)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"invalid YAML value: {exc}", (), file, 1, 1)]
    return source, builder.problems
