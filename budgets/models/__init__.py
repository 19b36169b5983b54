from budgets.models.data_version import DataVersion
from budgets.models.downloads import DownloadBuild
from budgets.models.facts import (
    Citation,
    Explanation,
    Fact,
    PublishedFigure,
    ThreePublicExpense,
)
from budgets.models.open_lines import OpenLine
from budgets.models.organisation import Publication, PublicationContact, Section, Unit
from budgets.models.performance import (
    EvaluationItem,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    SelfEvaluation,
)
from budgets.models.projects import (
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
)
from budgets.models.reports import ErrorReport
from budgets.models.sources import PublicationSource, TranscriptionMethod
from budgets.models.subjects import Subject, SubjectChange
from budgets.models.workflow import Correction, QualityReport, UnitMembership

__all__ = [
    "Citation",
    "Correction",
    "DataVersion",
    "DownloadBuild",
    "ErrorReport",
    "EvaluationItem",
    "Explanation",
    "Fact",
    "IndicatorPriorValue",
    "IndicatorTarget",
    "OpenLine",
    "PerformancePlan",
    "ProcurementItem",
    "Project",
    "ProjectAmount",
    "ProjectCostLine",
    "ProjectSubjectLink",
    "Publication",
    "PublicationContact",
    "PublicationSource",
    "PublishedFigure",
    "QualityReport",
    "Section",
    "SelfEvaluation",
    "Subject",
    "SubjectChange",
    "ThreePublicExpense",
    "TranscriptionMethod",
    "Unit",
    "UnitMembership",
]
