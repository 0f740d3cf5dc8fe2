import pytest

from bench.generate import Plan, generate


@pytest.fixture
def city(demo):
    """The demo accounts plus a generated history of `size` cases."""

    def build(size: int, open_tasks: int | None = None) -> dict:
        return generate(Plan(cases=size, open_tasks=open_tasks if open_tasks is not None else size // 10,
                             full_history=size // 10, inspectors=4))

    return build
