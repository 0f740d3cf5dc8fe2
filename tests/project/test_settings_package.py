"""The settings package (config/settings/) stays one module per concern that says what it reads.

Each module's docstring names, after "Environment:", exactly the variables it reads
through `env`; each setting is defined in one module and only read elsewhere; every
module's settings reach `config.settings` (the module DJANGO_SETTINGS_MODULE names).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import config.settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "config" / "settings"
MODULES = sorted(PACKAGE.glob("*.py"))
MUTATORS = {"update", "append", "extend", "insert", "setdefault", "pop", "remove", "clear"}


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def variables_read(tree: ast.Module) -> set[str]:
    """Names passed first to env(...) or env.<cast>(...)."""
    read = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        target = func.value if isinstance(func, ast.Attribute) else func
        first = node.args[0]
        if (isinstance(target, ast.Name) and target.id == "env"
                and isinstance(first, ast.Constant) and isinstance(first.value, str)):
            read.add(first.value)
    return read


def variables_documented(tree: ast.Module) -> set[str]:
    docstring = ast.get_docstring(tree) or ""
    _, marker, names = docstring.partition("Environment:")
    return set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", names)) if marker else set()


def settings_defined(tree: ast.Module) -> set[str]:
    """Uppercase names bound at module level (inside module-level if/for blocks too)."""
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id.isupper():
            defined.add(node.id)
    return {name for name in defined if not name.startswith("_")}


def names_imported_from_siblings(tree: ast.Module) -> set[str]:
    return {alias.asname or alias.name for node in tree.body
            if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("config.settings")
            for alias in node.names}


def names_changed(tree: ast.Module) -> set[str]:
    """Names rebound, assigned into (X[...] = ...), or changed in place (X.update(...))."""
    changed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            changed.add(node.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            root = node.value
            while isinstance(root, ast.Subscript):
                root = root.value
            if isinstance(root, ast.Name):
                changed.add(root.id)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in MUTATORS):
            root = node.func.value
            while isinstance(root, ast.Subscript):
                root = root.value
            if isinstance(root, ast.Name):
                changed.add(root.id)
    return changed


def test_each_module_names_exactly_the_variables_it_reads():
    everything = set()
    for path in MODULES:
        tree = parsed(path)
        read, documented = variables_read(tree), variables_documented(tree)
        everything |= read
        assert read == documented, (
            f"{path.name}: read but not named in the docstring {sorted(read - documented)}; "
            f"named but not read {sorted(documented - read)}")
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "SMS_BACKEND",
            "PAYMENT_GATEWAY", "AWS_STORAGE_BUCKET_NAME", "LOG_FORMAT"} <= everything


def test_no_module_reads_the_environment_behind_env():
    for path in MODULES:
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"environ", "getenv"}, f"{path.name} reads os.environ"


def test_each_setting_is_defined_in_one_module_and_only_read_elsewhere():
    owner: dict[str, str] = {}
    for path in MODULES:
        tree = parsed(path)
        for name in settings_defined(tree):
            assert name not in owner, f"{name} is defined in {owner[name]} and {path.name}"
            owner[name] = path.name
        changed = names_imported_from_siblings(tree) & names_changed(tree)
        assert not changed, f"{path.name} changes another module's {sorted(changed)}"
    assert {"INSTALLED_APPS", "MIDDLEWARE", "CELERY_BEAT_SCHEDULE", "LOGGING",
            "STORAGES"} <= set(owner)


def test_every_module_reaches_config_settings():
    for path in MODULES:
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"config.settings.{path.stem}")
        for name in settings_defined(parsed(path)):
            assert getattr(config.settings, name, None) is getattr(module, name), (
                f"config.settings.{name} is not {path.stem}.{name}")


def test_base_dir_is_the_repository_root_where_env_is_read():
    assert config.settings.BASE_DIR == ROOT
    assert (config.settings.BASE_DIR / "manage.py").is_file()
