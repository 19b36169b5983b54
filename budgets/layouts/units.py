"""Who a publication's tables are about: its unit (with its department) and its projects.

The layouts print the unit's and the department's names in 表2, 表5-2 and 表10, and list each
project; tables printed once per project (预算表12, 决算项目自评表) are named after it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LayoutUnit:
    code: str
    name: str
    department_code: str = ""
    department_name: str = ""

    @classmethod
    def of(cls, unit) -> "LayoutUnit":
        """From a budgets.models.Unit (its parent is its department)."""
        parent = unit.parent
        return cls(
            unit.code, unit.name, parent.code if parent else "", parent.name if parent else ""
        )


@dataclass(frozen=True)
class LayoutProject:
    code: str
    name: str
    category: str = ""  # 支出项目类别, printed after the name in 表11 (特定目标类)
    group_code: str = ""  # 项目分组, a total row before its projects in 表10 (31 本级支出项目)
    group_name: str = ""

    @classmethod
    def of(cls, project) -> "LayoutProject":
        """From a budgets.models.Project."""
        return cls(
            project.code, project.name, project.category, project.group_code, project.group_name
        )


def per_project(code: str, slug: str, projects) -> list[tuple]:
    """(project, table code, section slug) of a table printed once per project.

    A unit with one project prints the table under its own number ("表12"); with several,
    each copy carries its project's code, which tells the sheets of a template apart and
    keeps table numbers unique within a publication."""
    projects = list(projects)
    if len(projects) == 1:
        return [(projects[0], code, slug)]
    return [(p, f"{code}（{p.code}）", f"{slug}-{p.code.lower()}") for p in projects]
