"""The layers hold: ``bot`` imports neither Telegram nor the adapter (``handlers``), ``storage``
imports neither, and the kernel imports no capability. The contracts are in pyproject.toml;
``lint-imports`` checks them in CI, and this test shows it would fail on a breach, on a copy of
the tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


@pytest.mark.skipif(not LINT.exists(), reason="import-linter is a dev dependency")
@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("bot/kernel/text.py", "import telegram"),
        ("bot/kernel/text.py", "from handlers import base"),
        ("storage/rows.py", "from bot import text"),
        ("bot/kernel/text.py", "from bot.cases import rules"),
    ],
)
def test_the_contract_check_fails_when_the_core_imports_what_it_must_not(
    tmp_path: Path, module: str, line: str
) -> None:
    for package in ("bot", "handlers", "storage", "fakegram"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clean = subprocess.run(
        [str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert clean.returncode == 0, clean.stdout[-2000:]
    with (tmp_path / module).open("a") as file:
        file.write(f"\n{line}  # noqa\n")
    broken = subprocess.run(
        [str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout


def _core_parameters() -> list[tuple[str, str]]:
    """(where, annotation) of every ``core`` parameter in the adapter outside the root."""
    import ast

    found = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        if path.name in ("__init__.py", "app.py"):
            continue  # the composition root assembles the whole core
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in node.args.args:
                    if arg.arg == "core" and arg.annotation is not None:
                        found.append((f"{path.name}:{node.name}", ast.unparse(arg.annotation)))
    return found


def test_handlers_get_only_the_services_they_declare() -> None:
    """A handler class or helper takes a Protocol of the services it uses (mypy holds it to
    that list), never the whole core; only ``build_handlers`` and the guard see all of it."""
    whole = [
        where
        for where, annotation in _core_parameters()
        if annotation == "Core"
        and not where.split(":")[1].startswith(("build_", "guarded", "actor_of", "button"))
        and where.split(":")[1] not in ("_refuse_anonymous", "slow_down")
    ]
    assert whole == []
    assert len(_core_parameters()) > 20  # the check is looking at the real tree


def test_no_status_or_role_is_compared_with_a_string_literal() -> None:
    """Statuses, board roles and team roles are compared with their enum's members (a typo
    is then a type error, not a condition that is never true): no ``status == "closed"``, no
    ``role in ("lead", …)`` outside storage's own SQL."""
    import re
    from enum import StrEnum
    from pathlib import Path

    import storage.models as models
    from bot.kernel.policy import Role

    enums = [Role] + [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
    ]
    values = "|".join(sorted({member.value for enum in enums for member in enum}))
    subject = r"\b\w*(?:status|role|state)\b(?:\.\w+)?"
    literal = rf'"(?:{values})"'
    compared = re.compile(
        rf"{subject}\s*(?:==|!=)\s*{literal}|{subject}\s+(?:not\s+)?in\s+\(\s*{literal}"
    )
    found = [
        f"{path}:{number}: {line.strip()}"
        for folder in ("bot", "handlers")
        for path in sorted(Path(folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if compared.search(line)
    ]
    assert found == []


def test_a_button_routed_to_a_method_of_another_kind_fails_as_the_module_is_imported() -> None:
    """``@on_press(kind)`` on a method whose ``press`` is another kind would leave a dead (or
    a wrongly decoded) button; the class refuses to be made instead."""
    from handlers.module import HandlerModule, on_press
    from handlers.votes import Services

    def make(annotation: str) -> type:
        namespace: dict[str, object] = {
            "HandlerModule": HandlerModule,
            "on_press": on_press,
            "Services": Services,
        }
        exec(  # the method is written out so that its annotation is read as code is
            "from bot.votes.buttons import CastVote, OpenVote\n"
            "from bot.votes.policy import VoteAction\n"
            "class Module(HandlerModule[Services]):\n"
            "    @on_press(CastVote, VoteAction.VOTE)\n"
            f"    async def pressed(self, update, context, actor, press: {annotation}) -> None:\n"
            "        return None\n",
            namespace,
        )
        made = namespace["Module"]
        assert isinstance(made, type)
        return made

    assert make("CastVote").__name__ == "Module"
    assert make("OpenVote | CastVote").__name__ == "Module"
    with pytest.raises(TypeError, match="does not take a CastVote press"):
        make("OpenVote")
