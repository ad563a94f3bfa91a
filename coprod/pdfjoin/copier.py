"""The objects of one part (read with pikepdf) written into the joined file, each once."""

from __future__ import annotations

from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

from coprod.pdfjoin.writer import Writer, pdf_number


def _pdf_name(key: str) -> bytes:
    return Name(key).unparse()


class Copier:
    """Writes objects of one source PDF into the joined file, each once, numbered anew.
    ``fixed`` maps source objects (by object and generation numbers) to numbers already
    given in the joined file (the page tree, the pages, the /Document element)."""

    def __init__(self, writer: Writer, fixed: dict[tuple[int, int], int]):
        self.writer = writer
        self.numbers = dict(fixed)
        self.pending: list[tuple[int, pikepdf.Object]] = []
        self.struct_parents: dict[int, int] = {}  # a part's keys → the joined file's

    def ref(self, obj: pikepdf.Object) -> int:
        key = obj.objgen
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = self.writer.reserve()
            self.pending.append((number, obj))
        return number

    def value(self, item) -> bytes:
        """``item`` as it is written inside another object."""
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            return b"%d 0 R" % self.ref(item)
        if item is None:
            return b"null"
        if isinstance(item, bool):
            return b"true" if item else b"false"
        if isinstance(item, int | float | Decimal):
            return pdf_number(item)
        if isinstance(item, Dictionary):
            return self.dictionary(item.items())
        if isinstance(item, Array):
            return b"[" + b" ".join(self.value(element) for element in item) + b"]"
        if isinstance(item, Name | String):
            return item.unparse()
        raise TypeError(f"cannot write {type(item).__name__} into a PDF")

    def dictionary(self, items, **replaced: bytes) -> bytes:
        """A dictionary of ``items`` (key, value), with the values of ``replaced`` written
        as given instead (or added), and annotations' keys into the parent tree renewed."""
        written = []
        for key, item in items:
            if key == "/StructParent" and isinstance(item, int):
                item = self.struct_parents[item]
            value = replaced.pop(key, None)
            written.append(_pdf_name(key) + b" " + (self.value(item) if value is None else value))
        written += [_pdf_name(key) + b" " + value for key, value in replaced.items()]
        return b"<<" + b"".join(written) + b">>"

    def body(self, obj: pikepdf.Object) -> bytes:
        """An indirect object's own value, as written after "N 0 obj"."""
        if isinstance(obj, Dictionary):
            return self.dictionary(obj.items())
        if isinstance(obj, Array):
            return b"[" + b" ".join(self.value(element) for element in obj) + b"]"
        return obj.unparse(resolved=True)

    def flush(self) -> None:
        """Write every object asked for so far, and what they refer to in turn."""
        while self.pending:
            number, obj = self.pending.pop()
            if isinstance(obj, Stream):
                entries = [(key, item) for key, item in obj.items() if key != "/Length"]
                self.writer.stream(number, self.dictionary(entries)[2:-2], obj.read_raw_bytes())
            else:
                self.writer.write(number, self.body(obj))
