"""Read a dataset's files into validated records and a typed DataFrame, reporting every problem with its line."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePath
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from poc_data import cache as frame_cache
from poc_data.paths import BUNDLED_DATA_DIR
from poc_data.problems import Code, DataError, Problem
from poc_data.schema import DATASETS, DatasetSpec, FieldMeta, Metadata, field_kind, field_vocabulary
from poc_data.speed import read_in_two_processes, without_cyclic_gc

DATA_DIR_VARIABLE = "POC_DATA_DIR"
WHOLE_FILE = "(file)"
_RECORDS_KEY = re.compile(r"^records:", re.MULTILINE)
# A data file larger than this is refused unread: 32 MiB is about twice the largest file at 100 times the shipped
# data (sources.yaml, 16.8 MB), and keeps what one file can cost (memory and time to parse) bounded.
MAX_FILE_BYTES = 32 * 1024 * 1024
# Python refuses to convert longer digit strings to int (CVE-2020-10735); such a value is kept as text and reported.
MAX_INT_DIGITS = 4300


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data directory: the argument, else $POC_DATA_DIR, else the bundled `data/`."""
    if data_dir is not None:
        return Path(data_dir)
    from_env = os.environ.get(DATA_DIR_VARIABLE)
    return Path(from_env) if from_env else BUNDLED_DATA_DIR


def dataset_spec(dataset_id: str) -> DatasetSpec:
    """The spec of a known dataset id; a clear error for an unknown one."""
    try:
        return DATASETS[dataset_id]
    except KeyError:
        raise ValueError(f"unknown dataset {dataset_id!r}; known: {', '.join(DATASETS)}") from None


class FileRefused(Exception):
    """A data file that is not read: not a regular file, outside the data directory, too large, or unreadable."""


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


# Open flags that exist on some systems only, each used where it exists: O_NONBLOCK and O_NOFOLLOW on Unix (a FIFO
# swapped in after the checks cannot hang the reader, a link swapped in is not followed), O_NOCTTY on Unix, O_BINARY
# on Windows (no newline translation). Windows has no FIFOs in the file system and reports its links and other
# reparse points in `lstat`.
_SYSTEM_OPEN_FLAGS = ("O_NONBLOCK", "O_NOFOLLOW", "O_BINARY", "O_NOCTTY")


def _open_flags() -> int:
    """The flags a data file is opened with, from those this system has (looked up at each call, so that the tests can
    take the Unix-only ones away as on Windows)."""
    flags = os.O_RDONLY
    for name in _SYSTEM_OPEN_FLAGS:
        flags |= getattr(os, name, 0)
    return flags


def _is_link(status: os.stat_result) -> bool:
    """A symbolic link, or on Windows any reparse point (a symbolic link, a junction, a mount point...)."""
    attributes = getattr(status, "st_file_attributes", 0)
    return stat.S_ISLNK(status.st_mode) or bool(attributes & stat.FILE_ATTRIBUTE_REPARSE_POINT)


def leads_inside(target: PurePath, directory: PurePath) -> bool:
    """Whether a resolved path lies in a resolved directory, by the path rules of its system (on Windows, case and
    `/` or `\\` do not matter and another drive is outside): never by comparing text."""
    return target.is_relative_to(directory)


def regular_file(path: Path, directory: Path | None = None, limit: int = MAX_FILE_BYTES) -> Path:
    """The file a path names, if it is a regular file of at most `limit` bytes and, with `directory`, a symbolic
    link (on Windows, any reparse point) leads inside it; raises FileRefused. read_file_bytes' checks, for files that
    another library reads by their path (DuckDB: Parquet and CSV), which must not be handed a FIFO, a device or a
    link out of the data directory."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        raise FileRefused("file not found") from None
    except OSError as error:
        raise FileRefused(f"cannot be read: {error.strerror}") from None
    target = path
    if _is_link(status):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            raise FileRefused("a symbolic link that leads nowhere (broken, or a loop); not read") from None
        if directory is not None and not leads_inside(target, directory.resolve()):
            raise FileRefused("a symbolic link to a file outside the data directory; not read") from None
        try:
            status = os.stat(target)
        except OSError as error:
            raise FileRefused(f"cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused(f"{_file_kind(status.st_mode)}, not a regular file; not read")
    if status.st_size > limit:
        raise FileRefused(f"larger than {limit // (1024 * 1024)} MiB ({status.st_size:,} bytes); not read")
    return target


def read_file_bytes(path: Path, directory: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a data file, read only if it is a regular file inside `directory` of at most `limit` bytes.

    The one way in for data files, the same on Unix and Windows. FIFOs, devices and sockets are refused before they
    are opened (and on Unix the file is opened non-blocking, so a FIFO swapped in meanwhile cannot hang the reader); a
    symbolic link (on Windows, any reparse point) is followed only to a file inside the data directory, so a link to
    a system file never shows a line of it. What was opened is checked again to be a regular file. The messages never
    quote the file. Raises FileRefused.
    """
    target = regular_file(path, directory, limit)
    try:
        descriptor = os.open(target, _open_flags())
    except OSError as error:
        raise FileRefused(f"cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise FileRefused("not a regular file; not read")
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise FileRefused(f"larger than {limit // (1024 * 1024)} MiB; not read")
    return raw


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 1

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.repeated_keys: list[tuple[Any, int]] = []


class Refused(yaml.MarkedYAMLError):
    """YAML that data files do not use, refused where it stands instead of loaded.

    Anchors and aliases (expanding them is the unbounded "billion laughs"), tags (`!!python/object` and its like),
    merge keys, lists or mappings as keys, a second document, and nesting deeper than any dataset needs.
    """

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, message, mark)


# libyaml parses; PyYAML's pure-Python parser stands in where libyaml is missing (same events, same marks).
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A dataset nests four levels at most; a hundred is plenty, and keeps what a hostile file can cost bounded.
MAX_NESTING = 100
_ScalarEvent = yaml.ScalarEvent
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_STR_TAG = "tag:yaml.org,2002:str"
_CONSTRUCTED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
_NOT_A_KEY = object()
_IN_A_LIST = object()


class _Builder(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """The value of a YAML document, built from the parser's events with every mapping a LineDict.

    PyYAML's own composer and constructor would first build a node object per value, then the value: several times
    the time of parsing itself, for data files that use none of what nodes are for (anchors, aliases, tags). Plain
    scalars are resolved and constructed by PyYAML's safe loader's own resolver and constructors; what data files do
    not use is refused (`Refused`) rather than loaded. tests/test_yaml_builder.py compares it with `yaml.load` on every
    shipped file and on generated documents.
    """

    def __init__(self, text: str) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.parser = _Parser(text)
        self.first_chars = frozenset(key for key in self.yaml_implicit_resolvers if key)
        self.known: dict[str, Any] = {}

    def document(self) -> Any:
        get = self.parser.get_event
        try:
            get()  # stream start
            if isinstance(get(), yaml.StreamEndEvent):
                return None
            value = self.content()
            get()  # document end
            event = get()
            if not isinstance(event, yaml.StreamEndEvent):
                raise Refused("a data file holds one YAML document; a second one starts here", event.start_mark)
            return value
        finally:
            self.parser.dispose()

    def content(self) -> Any:
        """The document's value, read event by event with a stack of the open lists and mappings (no recursion)."""
        get, plain, known, first_chars = self.parser.get_event, self.plain, self.known, self.first_chars
        containers: list[Any] = []
        keys: list[Any] = []  # per open mapping: the key waiting for its value, or _NOT_A_KEY; _IN_A_LIST for a list
        key_lines: list[int] = []  # per open mapping: that key's line
        while True:
            event = get()
            kind = type(event)
            if kind is _ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    self.refuse_properties(event)
                value = event.value
                # A plain scalar is text unless its first character may start a null, bool, number or date.
                if event.implicit[0] and (not value or value[0] in first_chars):
                    value = known[value] if value in known else plain(value, event)
            elif kind in _STARTS:
                self.refuse_properties(event)
                if keys and keys[-1] is _NOT_A_KEY:
                    raise Refused("a key must be a name, not a list or a mapping (`? [a, b]`)", event.start_mark)
                if len(containers) == MAX_NESTING:
                    message = f"nested more than {MAX_NESTING} levels deep; data files need a few"
                    raise Refused(message, event.start_mark)
                if kind is yaml.MappingStartEvent:
                    value = LineDict()
                    value.line = event.start_mark.line + 1
                    keys.append(_NOT_A_KEY)
                else:
                    value = []
                    keys.append(_IN_A_LIST)
                containers.append(value)
                key_lines.append(0)
                continue
            elif kind in _ENDS:
                value = containers.pop()
                keys.pop()
                key_lines.pop()
            else:
                raise Refused("aliases (*name) are not allowed in data files; write the value out", event.start_mark)
            if not containers:
                return value
            key = keys[-1]
            if key is _IN_A_LIST:
                containers[-1].append(value)
            elif key is _NOT_A_KEY:
                keys[-1] = value
                key_lines[-1] = event.start_mark.line + 1
            else:
                parent = containers[-1]
                if key in parent:
                    parent.repeated_keys.append((key, key_lines[-1]))
                parent[key] = value
                parent.key_lines[key] = key_lines[-1]
                keys[-1] = _NOT_A_KEY

    def refuse_properties(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise Refused("anchors (&name) are not allowed in data files; write the value out", event.start_mark)
        if event.tag is not None:
            raise Refused(f"unsupported YAML tag, not loaded ({event.tag}); data files take no tags", event.start_mark)

    def plain(self, value: str, event: yaml.ScalarEvent) -> Any:
        """A plain scalar that may be a null, bool, number or date: as the safe loader reads it (and remembers)."""
        tag = self.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _STR_TAG:
            result = value
        elif tag in _CONSTRUCTED_TAGS:
            result = self.yaml_constructors[tag](self, yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
        elif tag == "tag:yaml.org,2002:merge":
            raise Refused("merge keys (<<) are not allowed in data files; write the keys out", event.start_mark)
        else:
            raise Refused(f"{value!r} cannot be read as a plain value; put it in quotes", event.start_mark)
        self.known[value] = result
        return result


def _construct_timestamp(builder: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    """A date as YAML reads it; an impossible one (`2026-11-31`) stays text, for the schema to report by field."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(builder, node)
    except (ValueError, OverflowError):
        return node.value


def _construct_int(builder: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    """An integer as YAML reads it; one of more digits than Python converts stays text, for the schema to report."""
    if len(node.value) > MAX_INT_DIGITS:
        return node.value
    return yaml.constructor.SafeConstructor.construct_yaml_int(builder, node)


_Builder.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Builder.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(text: str) -> Any:
    """The value of a one-document YAML text, every mapping a LineDict; raises yaml.MarkedYAMLError (a `Refused` for
    what data files do not use) with the line of the error."""
    return _Builder(text).document()


@dataclass
class Parsed:
    """A dataset read from disk: its metadata and the records that validated, with the line of each field."""

    spec: DatasetSpec
    data_path: Path
    meta_path: Path
    meta: Metadata | None = None
    meta_lines: dict[str, int] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Keys of records that failed validation: references to them are not reported a second time.
    rejected_keys: set[Any] = field(default_factory=set)
    # Columns missing from a CSV header: reported once there, not again on every row.
    missing_columns: set[str] = field(default_factory=set)
    # The bytes of each file as read: what the records were validated from (the cache's key).
    contents: dict[Path, bytes] = field(default_factory=dict)

    def problem(self, path: Path, line: int, field_name: str, message: str, code: Code) -> None:
        self.problems.append(Problem(self.shown(path), line, field_name, message, code))

    def shown(self, path: Path) -> str:
        """A file as problems name it: relative to the data directory, so no server path is ever shown."""
        return path.name

    def line_of(self, index: int, field_name: str) -> int:
        lines = self.lines[index]
        return lines.get(field_name, lines[""])


def _read_text(parsed: Parsed, path: Path) -> str | None:
    try:
        raw = read_file_bytes(path, path.parent)
    except FileRefused as refused:
        parsed.problem(path, 1, WHOLE_FILE, str(refused), Code.FILE)
        return None
    parsed.contents[path] = raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        parsed.problem(
            path, line, WHOLE_FILE, f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded", Code.ENCODING
        )
        return None
    if not text.strip():
        parsed.problem(path, 1, WHOLE_FILE, "the file is empty", Code.FORMAT)
        return None
    return text


def _read_yaml(parsed: Parsed, path: Path, *, header_only: bool = False) -> LineDict | None:
    text = _read_text(parsed, path)
    if text is None:
        return None
    if header_only:
        # The metadata header ends where the records begin; the records are not needed for the metadata.
        text = _RECORDS_KEY.split(text, maxsplit=1)[0]
    try:
        document = load_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(part for part in (error.context, error.problem) if part)
        parsed.problem(path, line, WHOLE_FILE, f"invalid YAML: {message}", Code.FORMAT)
        return None
    except yaml.YAMLError as error:
        parsed.problem(path, 1, WHOLE_FILE, f"invalid YAML: {error}", Code.FORMAT)
        return None
    if not isinstance(document, LineDict):
        parsed.problem(path, 1, WHOLE_FILE, "expected a mapping of metadata keys at the top of the file", Code.FORMAT)
        return None
    _report_repeated_keys(parsed, path, document)
    return document


def _report_repeated_keys(parsed: Parsed, path: Path, mapping: LineDict) -> None:
    for key, line in mapping.repeated_keys:
        message = "this key appears twice in the same mapping; the last one wins"
        parsed.problem(path, line, str(key), message, Code.DUPLICATE_KEY)


def _read_csv(parsed: Parsed, path: Path) -> tuple[list[dict[str, Any]], list[dict[str, int]]] | None:
    text = _read_text(parsed, path)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, lines = [], []
    try:
        header = next(reader)
        spec = parsed.spec
        expected = [name for name in spec.model.model_fields if name not in spec.derived]
        for position, name in enumerate(header):
            if name not in expected and not spec.producer_file:
                shown = name or f"column {position + 1}"
                parsed.problem(path, 1, shown, "unknown field (not in the schema)", Code.UNKNOWN_FIELD)
            elif header.count(name) > 1 and header.index(name) != position:
                parsed.problem(path, 1, name, "this column appears twice", Code.DUPLICATE_KEY)
        for name in expected:
            if name not in header:
                parsed.missing_columns.add(name)
                parsed.problem(path, 1, name, "missing field (no such column)", Code.MISSING_FIELD)
        previous_end = reader.line_num
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            cells = [cell if cell and not cell.isspace() else None for cell in row]
            if not any(cells):
                continue
            if len(row) != len(header):
                message = f"row has {len(row)} cells, the header has {len(header)}"
                parsed.problem(path, line, WHOLE_FILE, message, Code.FORMAT)
                continue
            record = dict(zip(header, cells, strict=True))
            if spec.producer_file:
                record = {name: record.get(name) for name in expected}
            records.append(record)
            lines.append({"": line})
    except csv.Error as error:
        parsed.problem(path, reader.line_num or 1, WHOLE_FILE, f"invalid CSV: {error}", Code.FORMAT)
        return None
    except StopIteration:
        parsed.problem(path, 1, WHOLE_FILE, "no header row", Code.FORMAT)
        return None
    return records, lines


# pydantic's error types that say a value cannot be read as its field's type at all (the others break a rule of
# the field: a vocabulary, a range, a length, a pattern, a check of ours).
_TYPE_ERRORS = re.compile(r".*_(type|parsing)|int_from_float|(date|time|datetime)_from_.*")


def error_code(error: dict[str, Any]) -> Code:
    """The code of a problem made from a pydantic error."""
    if error["type"] == "missing":
        return Code.MISSING_FIELD
    if error["type"] == "extra_forbidden":
        return Code.UNKNOWN_FIELD
    if error.get("input", "") is not None and _TYPE_ERRORS.fullmatch(error["type"]):
        return Code.TYPE
    return Code.CONSTRAINT


def _describe(error: dict[str, Any]) -> tuple[str, Code]:
    """A pydantic error as a problem's message and code."""
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "missing required field"
    elif error["type"] == "extra_forbidden":
        message = "unknown field (not in the schema)"
    elif error.get("input", "") is None:
        message = "required, but empty"
    else:
        shown = repr(error.get("input"))
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = f"{message} (got {shown})"
    return message, error_code(error)


def _validate_model(model: type[BaseModel], raw: dict, report) -> BaseModel | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = detail["loc"]
            name = str(location[0]) if location else WHOLE_FILE
            report(name, *_describe(detail))
        return None


def _read_metadata(parsed: Parsed, document: LineDict | None) -> None:
    if document is None:
        return
    raw = {key: value for key, value in document.items() if key != "records"}
    parsed.meta_lines = {str(key): line for key, line in document.key_lines.items()}
    path = parsed.meta_path

    def report(name: str, message: str, code: Code) -> None:
        parsed.problem(path, parsed.meta_lines.get(name, document.line), name, f"metadata: {message}", code)

    meta = _validate_model(Metadata, raw, report)
    if meta is None:
        return
    parsed.meta = meta
    for name, message in _metadata_disagreements(parsed.spec, meta):
        report(name, message, Code.METADATA)


def _metadata_disagreements(spec: DatasetSpec, meta: Metadata) -> Iterator[tuple[str, str]]:
    """(key, message) for each way a valid metadata disagrees with its dataset's schema."""
    if meta.id != spec.id:
        yield "id", f"metadata id is {meta.id!r}, expected {spec.id!r}"
    if meta.primary_key != spec.primary_key:
        yield "primary_key", f"is {meta.primary_key!r}, expected {spec.primary_key!r}"
    described = [entry.name for entry in meta.fields]
    expected = list(spec.model.model_fields)
    for name in described:
        if name not in expected:
            yield "fields", f"describes {name!r}, which is not a field of {spec.id}"
    for name in expected:
        if name not in described:
            yield "fields", f"has no description of the field {name!r}"
    for entry in meta.fields:
        if entry.name in expected:
            yield from (("fields", message) for message in _field_disagreements(spec, entry))


def _field_disagreements(spec: DatasetSpec, entry: FieldMeta) -> Iterator[str]:
    """How one field's description in the metadata disagrees with the schema: its type, required, vocabulary."""
    kind = field_kind(spec.model, entry.name).name
    if entry.type != kind:
        yield f"{entry.name!r} has type {entry.type!r}, the schema says {kind!r}"
    required = spec.model.model_fields[entry.name].is_required()
    if entry.required != required:
        says = "requires it" if required else "lets it be empty"
        yield f"{entry.name!r} has required: {str(entry.required).lower()}, but the schema {says}"
    vocabulary = field_vocabulary(spec.model, entry.name)
    if vocabulary is None and entry.enum:
        yield f"{entry.name!r} has an enum, but the schema gives the field no vocabulary"
    elif vocabulary is not None and entry.enum is not None and entry.enum != list(vocabulary):
        yield f"{entry.name!r} enum differs from the schema's: {', '.join(vocabulary)}"


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(list[model])


def _report_on(parsed: Parsed, path: Path, lines: dict[str, int], name: str, message: str, code: Code) -> None:
    """A problem of one record, on the line of its field (or of the record), unless its column is missing."""
    if name not in parsed.missing_columns:
        parsed.problem(path, lines.get(name, lines[""]), name, message, code)


def _read_records(parsed: Parsed, raw_records: list, raw_lines: list[dict[str, int]], path: Path) -> None:
    model = parsed.spec.model
    key = parsed.spec.primary_key
    seen: dict[Any, int] = {}
    # One call that validates the whole list costs less than a call per record. If any record fails, the records
    # are validated one by one, so that each failure is reported on its own record as before.
    try:
        validated = _list_adapter(model).validate_python(raw_records)
    except ValidationError:
        validated = None
    for position, (raw, lines) in enumerate(zip(raw_records, raw_lines, strict=True)):
        if validated is not None:
            record = validated[position]
        else:
            record = _validate_model(model, raw, functools.partial(_report_on, parsed, path, lines))
            if record is None:
                parsed.rejected_keys.add(raw.get(key))
                continue
        # The same as record.model_dump() at no cost: the fields hold plain values, no nested models, and nothing
        # modifies a record once read.
        values = record.__dict__
        parsed.records.append(values)
        parsed.lines.append(lines)
        value = values[key]
        if value in seen:
            message = f"duplicate {key} {value!r} (first on line {seen[value]})"
            _report_on(parsed, path, lines, key, message, Code.UNIQUE)
        else:
            seen[value] = lines.get(key, lines[""])


def read_dataset(dataset_id: str, data_dir: str | os.PathLike | None = None) -> Parsed:
    """Read and validate one dataset's files; never raises for bad data, never writes."""
    with without_cyclic_gc():
        return _read_dataset(dataset_id, data_dir)


def _read_dataset(dataset_id: str, data_dir: str | os.PathLike | None) -> Parsed:
    spec = dataset_spec(dataset_id)
    directory = resolve_data_dir(data_dir)
    parsed = Parsed(spec, directory / spec.data_file, directory / spec.meta_file)
    if spec.file_format == "csv":
        _read_metadata(parsed, _read_yaml(parsed, parsed.meta_path))
        table = _read_csv(parsed, parsed.data_path)
        if table is not None:
            if not spec.producer_file or _check_release(parsed, *table):
                _read_records(parsed, *table, parsed.data_path)
        return parsed
    document = _read_yaml(parsed, parsed.data_path)
    _read_metadata(parsed, document)
    if document is None:
        return parsed
    raw_records = document.get("records")
    if not isinstance(raw_records, list):
        line = document.key_lines.get("records", document.line)
        parsed.problem(parsed.data_path, line, "records", "expected a list of records under `records:`", Code.FORMAT)
        return parsed
    mappings, lines = [], []
    for position, item in enumerate(raw_records):
        if not isinstance(item, LineDict):
            line = document.key_lines["records"]
            message = f"record {position + 1} is not a mapping"
            parsed.problem(parsed.data_path, line, "records", message, Code.FORMAT)
            continue
        _report_repeated_keys(parsed, parsed.data_path, item)
        # The mapping and its key lines are used as they are, not copied: at 100 times the data, copies would add
        # a third to the memory a check needs.
        item.key_lines[""] = item.line
        mappings.append(item)
        lines.append(item.key_lines)
    _read_records(parsed, mappings, lines, parsed.data_path)
    return parsed


def _check_release(parsed: Parsed, records: list[dict[str, Any]], lines: list[dict[str, int]]) -> bool:
    """A producer's file: the release its metadata names (checksum, size, rows), and each row's derived fields;
    False when the metadata names no release (the rows cannot be read without it)."""
    release = parsed.meta.release if parsed.meta else None
    if release is None:
        line = parsed.meta_lines.get("id", 1)
        message = "metadata: a producer's file needs a `release` block naming the file, its version and checksum"
        parsed.problem(parsed.meta_path, line, "release", message, Code.MISSING_FIELD)
        return False
    raw = parsed.contents[parsed.data_path]
    line = parsed.meta_lines.get("release", 1)
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    if digest != release.md5:
        message = (
            f"{parsed.data_path.name} is not the release the metadata names: its md5 is {digest}, the release's "
            f"{release.md5}; replace the file with the release, or describe the new one in the metadata"
        )
        parsed.problem(parsed.meta_path, line, "release", message, Code.RELEASE)
    elif len(raw) != release.bytes or len(records) != release.rows:
        message = (
            f"the release has {release.bytes:,} bytes and {release.rows:,} rows, "
            f"the file {len(raw):,} and {len(records):,}"
        )
        parsed.problem(parsed.meta_path, line, "release", message, Code.RELEASE)
    source_id = parsed.meta.sources[0] if parsed.meta.sources else None
    derive = parsed.spec.model.derive
    for record, record_lines in zip(records, lines, strict=True):
        derive(record)
        record["source_id"] = source_id
        record["source_detail"] = f"{release.file}, line {record_lines['']}"
    return True


def _dates(values: pd.Series, period_end: bool) -> pd.Series:
    """Partial ISO dates to timestamps: the first day of the period, or the last day for an end."""
    stamps = pd.to_datetime(values, format="ISO8601")
    if period_end:
        length = values.str.len()
        stamps = stamps.where(length != 7, stamps + pd.offsets.MonthEnd(0))
        stamps = stamps.where(length != 4, stamps + pd.offsets.YearEnd(0))
    return stamps


def to_frame(parsed: Parsed) -> pd.DataFrame:
    """The validated records as a DataFrame with proper dtypes.

    Vocabularies become categoricals, integers nullable Int64, dates datetimes, lists Python lists.
    A partial date keeps its text as written in `<field>_text` beside the datetime, so `2004-06` is not shown as a day.
    """
    with without_cyclic_gc():
        model = parsed.spec.model
        frame = pd.DataFrame.from_records(parsed.records, columns=list(model.model_fields))
        for name in model.model_fields:
            kind = field_kind(model, name)
            vocabulary = field_vocabulary(model, name)
            column = frame[name]
            if kind.name == "list":
                frame[name] = column.map(list)
            elif vocabulary:
                frame[name] = pd.Categorical(column, categories=vocabulary)
            elif kind.name == "integer":
                frame[name] = column.astype("Int64")
            elif kind.name == "number":
                frame[name] = column.astype("float64")
            elif kind.name == "date":
                frame[name] = pd.to_datetime(column)
            elif kind.name == "partial_date":
                text = column.astype("str")
                frame[name] = _dates(text, kind.period_end)
                frame.insert(frame.columns.get_loc(name) + 1, f"{name}_text", text)
            elif kind.name == "string":
                frame[name] = column.astype("str")
        return frame


def _files(spec: DatasetSpec, directory: Path) -> list[Path]:
    """A dataset's files: the data file, then its metadata file when that is another file."""
    return [directory / name for name in dict.fromkeys((spec.data_file, spec.meta_file))]


def load_with_metadata(dataset_id: str, data_dir: str | os.PathLike | None = None) -> tuple[pd.DataFrame, Metadata]:
    """One dataset as a typed DataFrame with its metadata; raises DataError naming every problem of its files.

    Served from the cache (`poc_data.cache`) when the files hold what they held when last loaded without a problem;
    otherwise read and validated, and then cached under the bytes that were read.
    """
    with without_cyclic_gc():
        return _load_with_metadata(dataset_spec(dataset_id), resolve_data_dir(data_dir))


def _load_with_metadata(spec: DatasetSpec, directory: Path) -> tuple[pd.DataFrame, Metadata]:
    contents = _contents(spec, directory)
    looked_up = None
    if contents is not None:
        looked_up = frame_cache.key(spec, contents)
        cached = frame_cache.get(spec, looked_up)
        if cached is not None:
            return cached
    parsed = read_dataset(spec.id, directory)
    if parsed.problems or parsed.meta is None:
        raise DataError(spec.id, parsed.problems)
    frame = to_frame(parsed)
    read = [parsed.contents[path] for path in _files(spec, directory)]
    # Usually the bytes looked up: their key is not computed twice.
    key = frame_cache.key(spec, read) if read != contents else looked_up
    frame_cache.put(spec, key, frame, parsed.meta)
    return frame, parsed.meta


def _contents(spec: DatasetSpec, directory: Path) -> list[bytes] | None:
    """The bytes of a dataset's files, or None when one is refused (read_dataset reports it)."""
    try:
        return [read_file_bytes(path, directory) for path in _files(spec, directory)]
    except FileRefused:
        return None


def fill_cache(data_dir: str | os.PathLike | None = None) -> dict[str, list[Problem]]:
    """Read, validate and cache every dataset whose files have no cache entry yet; the problems of each dataset that
    has some (it is not cached, and `load` reports them).

    Large data is read in two processes (`speed.read_in_two_processes`), in about half the time of loading the
    datasets one by one; `load` then serves each from the cache. `python -m poc_data cache` runs it.
    """
    directory = resolve_data_dir(data_dir)
    found = read_in_two_processes(functools.partial(_fill, directory=directory), dataset_sizes(directory))
    return {dataset_id: problems for dataset_id, problems in found.items() if problems}


def _fill(dataset_id: str, directory: Path) -> list[Problem]:
    if is_cached(dataset_id, directory):
        return []
    return read_and_cache(dataset_id, directory).problems


def read_and_cache(dataset_id: str, data_dir: str | os.PathLike | None = None) -> Parsed:
    """`read_dataset`, and the dataset cached as `load` caches it if it has no problem of its own and is not cached
    yet: a check that reads every dataset anyway also fills the cache (`check(..., cache=True)`)."""
    directory = resolve_data_dir(data_dir)
    parsed = read_dataset(dataset_id, directory)
    if not parsed.problems and parsed.meta is not None:
        spec = parsed.spec
        key = frame_cache.key(spec, [parsed.contents[path] for path in _files(spec, directory)])
        if not frame_cache.has(key):
            frame_cache.put(spec, key, to_frame(parsed), parsed.meta)
    return parsed


def is_cached(dataset_id: str, data_dir: str | os.PathLike | None = None) -> bool:
    """Whether `load` would serve the dataset from the cache: its files hold what they held when last loaded."""
    spec = dataset_spec(dataset_id)
    contents = _contents(spec, resolve_data_dir(data_dir))
    return contents is not None and frame_cache.has(frame_cache.key(spec, contents))


def dataset_sizes(directory: Path) -> dict[str, int]:
    """The bytes of each dataset's files (a file that cannot be looked at counts 0: reading it will say why)."""
    sizes = dict.fromkeys(DATASETS, 0)
    for dataset_id, spec in DATASETS.items():
        for path in _files(spec, directory):
            try:
                sizes[dataset_id] += path.stat().st_size
            except OSError:
                continue
    return sizes


def load(dataset_id: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One dataset as a typed DataFrame; raises DataError naming every problem of its files."""
    return load_with_metadata(dataset_id, data_dir)[0]


def metadata(dataset_id: str, data_dir: str | os.PathLike | None = None) -> Metadata:
    """One dataset's metadata, read without its records; raises DataError if the metadata has problems."""
    spec = dataset_spec(dataset_id)
    directory = resolve_data_dir(data_dir)
    parsed = Parsed(spec, directory / spec.data_file, directory / spec.meta_file)
    document = _read_yaml(parsed, parsed.meta_path, header_only=spec.file_format == "yaml")
    if spec.file_format == "yaml" and (document is None or "fields" not in document):
        # Not a header followed by its records (the records may come first): read the whole file.
        parsed = Parsed(spec, parsed.data_path, parsed.meta_path)
        document = _read_yaml(parsed, parsed.meta_path)
    _read_metadata(parsed, document)
    if parsed.problems or parsed.meta is None:
        raise DataError(dataset_id, parsed.problems)
    return parsed.meta
