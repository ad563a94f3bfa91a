"""The parts' structure trees read, and the joined document's written: one /Document
element, one parent tree, and the /IDTree of the table header cells' identifiers."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, String

from coprod.pdfjoin.writer import Writer


def number_tree(node):
    """The (key, value) pairs of a number tree, in order."""
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums), 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", []):
        yield from number_tree(kid)


def kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def prefix_ids(source_root, prefix: str) -> list[tuple[str, pikepdf.Object]]:
    """Make the element identifiers of one part (WeasyPrint's, on table header cells, made
    from object numbers that repeat between parts) unique in the joined document, in the
    /Headers that point at them too. Returns the elements that have one."""
    identified: list[tuple[str, pikepdf.Object]] = []
    pending = list(kids(source_root))
    while pending:
        element = pending.pop()
        if not isinstance(element, Dictionary):
            continue
        if "/ID" in element:
            key = prefix + bytes(element.ID).decode("latin-1")
            element.ID = String(key)
            identified.append((key, element))
        attributes = element.get("/A")
        for owner in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array(
                    [String(prefix + bytes(header).decode("latin-1")) for header in owner.Headers]
                )
        pending += kids(element)
    return identified


def write_tree(
    writer: Writer,
    *,
    root: int,
    document: int,
    top: list[int],
    parents: list[bytes],
    ids: list[tuple[str, int]],
) -> None:
    """The structure tree root (object ``root``) with its one /Document element (object
    ``document``) holding the parts' elements ``top`` in reading order; the parent tree
    (``parents``: its values, by key); and the /IDTree resolving ``ids`` (identifier,
    element)."""
    writer.write(
        document,
        b"<</Type/StructElem/S/Document/P %d 0 R/K[" % root
        + b" ".join(b"%d 0 R" % kid for kid in top)
        + b"]>>",
    )
    parent_tree = writer.reserve()
    writer.write(
        parent_tree,
        b"<</Nums["
        + b" ".join(b"%d %s" % (key, value) for key, value in enumerate(parents))
        + b"]>>",
    )
    id_tree = b""
    if ids:
        number = writer.reserve()
        names = sorted(ids, key=lambda pair: pair[0].encode("latin-1"))
        writer.write(
            number,
            b"<</Names["
            + b" ".join(String(key).unparse() + b" %d 0 R" % element for key, element in names)
            + b"]>>",
        )
        id_tree = b"/IDTree %d 0 R" % number
    writer.write(
        root,
        b"<</Type/StructTreeRoot/K[%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d"
        % (document, parent_tree, len(parents))
        + id_tree
        + b">>",
    )
