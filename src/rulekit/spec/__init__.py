"""Spec loading: YAML with positions, JSON Schema validation, the typed Contract model."""

from .load import load_contract, load_document

__all__ = ["load_contract", "load_document"]
