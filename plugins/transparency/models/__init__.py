"""Models of the transparency plugin (data in budget.py, the public page in page.py)."""

from .budget import (
    Account,
    Activity,
    Budget,
    BudgetDocument,
    BudgetLine,
    BudgetVersion,
    DevelopmentActivity,
    FundingSource,
    FundingSourceLabel,
    ProgressUpdate,
    Realisation,
    Sector,
)
from .page import TransparencyPage

__all__ = [
    "Account",
    "Activity",
    "Budget",
    "BudgetDocument",
    "BudgetLine",
    "BudgetVersion",
    "DevelopmentActivity",
    "FundingSource",
    "FundingSourceLabel",
    "ProgressUpdate",
    "Realisation",
    "Sector",
    "TransparencyPage",
]
