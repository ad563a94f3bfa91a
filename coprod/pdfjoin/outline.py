"""The joined document's bookmarks: one for each heading of the parts, a lower level nested
in the higher one before it."""

from __future__ import annotations

from pikepdf import String

from coprod.pdfjoin.writer import Writer, pdf_number


def write_outline(
    writer: Writer,
    bookmarks: list[tuple[int, str, int, tuple[float, float]]],
    pages: list[tuple[int, float]],
) -> int | None:
    """The outline of ``bookmarks`` (level, label, page, (x, y) on it in CSS pixels from
    the top left), on ``pages`` (each page's object number and height in points); the
    object number of the outline, or None if there are no bookmarks."""
    if not bookmarks:
        return None
    root: dict = {"children": [], "number": writer.reserve()}
    stack: list[tuple[int, dict]] = [(0, root)]
    for level, label, page, (x, y) in bookmarks:
        target, height = pages[page]
        item = {
            "label": label,
            "page": target,
            "at": (x * 0.75, height - y * 0.75),  # CSS px → points
            "children": [],
            "number": writer.reserve(),
        }
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1]["children"].append(item)
        stack.append((level, item))
    _write_items(writer, root, None, (None, None))
    return root["number"]


def _write_items(writer: Writer, item: dict, parent: int | None, siblings: tuple) -> int:
    """Write ``item`` and those under it; how many there are under it."""
    kids = item["children"]
    count = 0
    for index, kid in enumerate(kids):
        before = kids[index - 1]["number"] if index else None
        after = kids[index + 1]["number"] if index + 1 < len(kids) else None
        count += 1 + _write_items(writer, kid, item["number"], (before, after))
    entries = b""
    if kids:
        entries += b"/First %d 0 R/Last %d 0 R/Count %d" % (
            kids[0]["number"],
            kids[-1]["number"],
            count,
        )
    if parent is None:
        writer.write(item["number"], b"<</Type/Outlines" + entries + b">>")
        return count
    x, y = item["at"]
    entries += b"/Title " + String(item["label"]).unparse()
    entries += b"/Parent %d 0 R" % parent
    entries += b"/Dest[%d 0 R/XYZ %s %s null]" % (item["page"], pdf_number(x), pdf_number(y))
    for key, other in zip((b"/Prev", b"/Next"), siblings, strict=True):
        if other is not None:
            entries += key + b" %d 0 R" % other
    writer.write(item["number"], b"<<" + entries + b">>")
    return count
