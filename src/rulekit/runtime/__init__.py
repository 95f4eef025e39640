"""Evaluate cases and portfolios against a contract; obligations, penalties, payments, findings, trace."""

from .case import Case, read_case
from .evaluate import evaluate_case, resolve_assumptions
from .portfolio import PortfolioResult, evaluate_portfolio
from .result import CaseResult

__all__ = ["Case", "CaseResult", "PortfolioResult", "evaluate_case", "evaluate_portfolio", "read_case",
           "resolve_assumptions"]
