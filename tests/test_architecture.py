"""docs/ARCHITECTURE.md's map of the code is checked against the files themselves, so it
cannot drift: every module it names exists, and every module that exists is named."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ARCHITECTURE.md"
# An entry of the map: a file or folder name at the start of a line, indented by two spaces
# a level, then its description after two or more spaces. Deeper-indented lines continue
# the description above them.
ENTRY = re.compile(r"^(?P<indent> {0,10})(?P<name>[A-Za-z0-9_.-]+/?)(?: {2,}.*)?$")
CODE_FOLDERS = ("coprod", "principles", "assessments", "bench")


def map_block() -> list[str]:
    text = DOC.read_text()
    start = text.index("## The map")
    block = text[start:].split("```text\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def mapped_paths() -> set[str]:
    stack: list[str] = []
    paths = set()
    for line in map_block():
        match = ENTRY.match(line)
        if not match:
            continue
        level = len(match["indent"]) // 2
        name = match["name"]
        stack = stack[:level] + [name.rstrip("/")]
        paths.add("/".join(stack) + ("/" if name.endswith("/") else ""))
    return paths


def python_modules() -> set[str]:
    found = set()
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or path.name == "__init__.py":
                continue
            found.add(relative.as_posix())
    return found


def test_the_map_has_entries():
    paths = mapped_paths()
    assert "assessments/" in paths and "assessments/rounds/services/lifecycle.py" in paths


def test_everything_the_map_names_exists():
    missing = sorted(p for p in mapped_paths() if not (ROOT / p).exists())
    assert not missing, f"docs/ARCHITECTURE.md names what is not there: {missing}"


def test_every_module_is_on_the_map():
    unmapped = sorted(python_modules() - mapped_paths())
    assert not unmapped, f"add these to docs/ARCHITECTURE.md's map: {unmapped}"


def test_every_domain_has_its_parts_and_its_pages():
    """Each domain holds its own models, services and selectors; its pages (views and URLs)
    sit in the web layer, under the same name."""
    for domain in ("accounts", "rounds", "cohorts", "workshops"):
        folder = ROOT / "assessments" / domain
        for part in ("models", "services", "selectors"):
            assert (folder / f"{part}.py").exists() or (folder / part).is_dir(), (
                f"assessments/{domain} has no {part}"
            )
        pages = ROOT / "assessments" / "web" / domain
        for part in ("views", "urls"):
            assert (pages / f"{part}.py").exists() or (pages / part).is_dir(), (
                f"assessments/web/{domain} has no {part}"
            )


DOCS = [
    "README.md",
    "SECURITY.md",
    "BENCHMARKS.md",
    "bench/NOTES.md",
    *(p.relative_to(ROOT) for p in (ROOT / "docs").glob("*.md")),
]
TEST_PATH = re.compile(r"tests/[A-Za-z0-9_/]+\.py")


def test_every_test_file_the_documents_name_exists():
    """README, SECURITY and the other documents point readers at the tests behind each
    promise; a test moved or renamed must take the pointer with it."""
    missing = [
        f"{doc}: {path}"
        for doc in DOCS
        if (ROOT / doc).exists()
        for path in TEST_PATH.findall((ROOT / doc).read_text())
        if not (ROOT / path).exists()
    ]
    assert not missing
