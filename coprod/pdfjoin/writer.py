"""The joined file, written object by object: streams as they come, the other objects
packed into compressed object streams, and a cross-reference stream at the end. What it
holds is the file so far and where each object is in it."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from decimal import Decimal


def pdf_number(value: int | float | Decimal) -> bytes:
    """A number as PDF writes it: no exponent, no trailing zeros."""
    if isinstance(value, int):
        return b"%d" % value
    text = f"{Decimal(value):f}" if isinstance(value, Decimal) else f"{value:.6f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text).encode() or b"0"


class Writer:
    """A PDF file written object by object: streams as they come, other objects packed in
    compressed object streams of ``BATCH``, and a cross-reference stream at the end."""

    BATCH = 200

    def __init__(self):
        self.file = io.BytesIO()
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # Where each object is: (1, offset in the file) or (2, object stream, index in it).
        self.places: dict[int, tuple[int, int, int]] = {}
        self.count = 0
        self.batch: list[tuple[int, bytes]] = []

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def write(self, number: int, body: bytes) -> None:
        self.batch.append((number, body))
        if len(self.batch) >= self.BATCH:
            self._pack()

    def stream(self, number: int, entries: bytes, data: bytes) -> None:
        self.places[number] = (1, self.file.tell(), 0)
        self.file.write(
            b"%d 0 obj\n<<" % number
            + entries
            + b"/Length %d>>\nstream\n" % len(data)
            + data
            + b"\nendstream\nendobj\n"
        )

    def _pack(self) -> None:
        """The objects waiting, as one compressed object stream."""
        if not self.batch:
            return
        container = self.reserve()
        index, bodies, offset = [], [], 0
        for position, (number, body) in enumerate(self.batch):
            index.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
            self.places[number] = (2, container, position)
        head = b" ".join(index) + b"\n"
        self.stream(
            container,
            b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode" % (len(self.batch), len(head)),
            zlib.compress(head + b"\n".join(bodies)),
        )
        self.batch = []

    def close(self, root: int, info: int | None) -> bytes:
        self._pack()
        xref = self.reserve()
        missing = set(range(1, xref)) - set(self.places)
        if missing:
            raise ValueError(f"objects reserved and never written: {sorted(missing)[:5]}")
        self.places[xref] = (1, self.file.tell(), 0)
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        rows += [struct.pack(">BIH", *self.places[number]) for number in range(1, xref + 1)]
        identifier = hashlib.md5(self.file.getbuffer(), usedforsecurity=False).hexdigest().encode()
        entries = (
            b"/Type/XRef/Size %d/W[1 4 2]/Root %d 0 R" % (xref + 1, root)
            + (b"/Info %d 0 R" % info if info else b"")
            + b"/ID[<%s><%s>]/Filter/FlateDecode" % (identifier, identifier)
        )
        start = self.places[xref][1]
        self.stream(xref, entries, zlib.compress(b"".join(rows)))
        self.file.write(b"startxref\n%d\n%%%%EOF\n" % start)
        return self.file.getvalue()
