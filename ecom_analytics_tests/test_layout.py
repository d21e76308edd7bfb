"""The package layout keeps its promises (docs/architecture.md, "Layout").

- The product does not import the dashboard: `app` depends on `ecom_analytics`, never the
  other way round, so there is no package-level import cycle.
- Ingestion, the synthetic generator and the importers are plain Python: importing them
  loads no Dagster, so they can be run and tested without an instance or a resource.
- A module longer than `LONG_MODULE_LINES` says at its top why it is not split.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ROOT / "ecom_analytics"
APP = ROOT / "app"
LONG_MODULE_LINES = 300
# The words that open the paragraph of a long module's docstring giving its reason.
LONG_MODULE_REASON = "Why this module is long:"
PLAIN_PACKAGES = ("ingestion", "synthetic", "importers", "validation")


def imported_roots(path: Path) -> set[str]:
    """The top-level packages a module imports, anywhere in it (function bodies too)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: Path) -> list[Path]:
    return sorted(package.rglob("*.py"))


def test_the_product_never_imports_the_dashboard():
    offenders = [
        str(path.relative_to(ROOT)) for path in modules(PRODUCT) if "app" in imported_roots(path)
    ]
    assert offenders == []


def test_the_dashboard_imports_the_product():
    # The direction the layout promises exists: the snapshot's schema and the vocabulary
    # come from the product. (Guards the check above from passing on an empty tree.)
    assert any("ecom_analytics" in imported_roots(path) for path in modules(APP))


def test_import_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from app.app import run\n    import dagster as dg\n")
    assert imported_roots(module) == {"app", "dagster"}


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_plain_packages_load_no_dagster(package):
    names = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in modules(PRODUCT / package)
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'app')))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", f"{package} loads {loaded}"


def long_modules_without_reason() -> list[str]:
    found = []
    for path in modules(PRODUCT) + modules(APP):
        lines = path.read_text().count("\n")
        if lines <= LONG_MODULE_LINES:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if LONG_MODULE_REASON not in doc:
            found.append(f"{path.relative_to(ROOT)} ({lines} lines)")
    return found


def test_long_modules_say_why():
    assert long_modules_without_reason() == []
