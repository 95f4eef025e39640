"""rulekit: rules-as-code for public-sector framework agreements.

Load a contract spec, evaluate cases and portfolios against it, and explain every figure::

    from rulekit import load_contract, evaluate_case
    contract = load_contract("contracts/kobenhavn.yaml")
    result = evaluate_case(contract, {"case": "X", "as_of": "2021-05-01", "events": [...]})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import EvaluationError, InputError, RulekitError, SpecError
    from .runtime import CaseResult, evaluate_case, evaluate_portfolio
    from .spec import load_contract
    from .spec.model import Contract

__all__ = ["CaseResult", "Contract", "EvaluationError", "InputError", "RulekitError", "SpecError",
           "__version__", "evaluate_case", "evaluate_portfolio", "load_contract"]

_LAZY = {"load_contract": "spec", "Contract": "spec.model", "evaluate_case": "runtime",
         "evaluate_portfolio": "runtime", "CaseResult": "runtime", "RulekitError": "errors",
         "SpecError": "errors", "InputError": "errors", "EvaluationError": "errors"}


def __getattr__(name: str) -> Any:
    """Import on first use, so that `rulekit --version` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
