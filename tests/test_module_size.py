"""No module in ``roleplay/`` over 500 lines: a module a person can hold in their head.

A module that grows past the limit is split by what it is for (widgets, flow, pure logic),
not by raising the number.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "roleplay"
LIMIT = 500


def line_count(path: Path) -> int:
    """Lines as ``wc -l`` counts them (a last line without a newline still counts)."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def oversized(root: Path, limit: int = LIMIT) -> dict[str, int]:
    """Every Python module under ``root`` longer than ``limit`` lines, with its length."""
    counts = {str(path.relative_to(root.parent)): line_count(path) for path in root.rglob("*.py")}
    return {name: count for name, count in sorted(counts.items()) if count > limit}


def test_no_module_in_the_package_is_over_500_lines() -> None:
    modules = list(PACKAGE.rglob("*.py"))
    assert len(modules) > 50, "the walk should find the whole package"
    assert oversized(PACKAGE) == {}, (
        f"split these modules below {LIMIT} lines by what each part is for"
    )


def test_the_check_finds_a_long_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "short.py").write_text("x = 1\n" * LIMIT, encoding="utf-8")
    (package / "sub" / "long.py").write_text("x = 1\n" * LIMIT + "y = 2", encoding="utf-8")
    (package / "notes.txt").write_text("\n" * 1000, encoding="utf-8")
    assert oversized(package) == {str(Path("pkg/sub/long.py")): LIMIT + 1}
