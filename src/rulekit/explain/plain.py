"""An expression in words, with the values it had: names become the contract's declared titles, functions and
operators become Danish or English phrases. 'max(daily_penalty_rate * value, minimum)' reads
'det største af 10 % × 24.000,00 kr. og 3.000,00 kr.'. The raw expression is only for --detail and JSON."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..dsl import ast
from ..dsl import types as t
from ..dsl.check import Checked
from ..spec.model import Contract, Text
from .exprtext import shown_as
from .fmt import PlainFormatter

# what no plain sentence may contain: identifiers with underscores, code operators, function-call syntax
_CALLS = ("max|min|first|last|count|exists|sum|avg|round|abs|share|percent|answers|working_days_between|"
          "days_between|next_weekday|next_working_day|end_of_month|week_start|is_working_day|year|month|quarter|"
          "months")
CODE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b|==|!=|\?\?|&&|\|\||<=|>=|\bassume\.|\bit\."
                  rf"|\b(?:{_CALLS})\((?!s\)|er\))")

_OPS = {"da": {"*": "×", "/": "/", "+": "+", "-": "−", "==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<",
               ">": ">", "and": "og", "or": "eller", "in": "er en af", "not in": "er ikke en af"},
        "en": {"*": "×", "/": "/", "+": "+", "-": "−", "==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<",
               ">": ">", "and": "and", "or": "or", "in": "is one of", "not in": "is not one of"}}
_ARITH = {"max", "min", "round", "abs"}

_FN = {
    "da": {"first": "første {0}", "last": "seneste {0}", "count": "antal {0}", "exists": "der findes {0}",
           "sum": "summen af {0}", "avg": "gennemsnittet af {0}", "max": "det største af {all}",
           "min": "det mindste af {all}", "round": "{0} afrundet", "abs": "den numeriske værdi af {0}",
           "working_days_between": "arbejdsdage fra {0} til {1}", "days_between": "dage fra {0} til {1}",
           "next_weekday": "første hverdag fra {0}", "next_working_day": "første arbejdsdag fra {0}",
           "end_of_month": "månedens sidste dag for {0}", "week_start": "ugens mandag for {0}",
           "is_working_day": "{0} er en arbejdsdag", "year": "året for {0}", "month": "måneden for {0}",
           "quarter": "kvartalet for {0}", "months": "månederne fra {0} til {1}", "share": "andelen {all}",
           "percent": "procentdelen {all}", "answers": "{1} som svar på {0}"},
    "en": {"first": "the first {0}", "last": "the latest {0}", "count": "the number of {0}",
           "exists": "there is {0}", "sum": "the sum of {0}", "avg": "the average of {0}",
           "max": "the greater of {all}", "min": "the smaller of {all}", "round": "{0} rounded",
           "abs": "the absolute value of {0}", "working_days_between": "working days from {0} to {1}",
           "days_between": "days from {0} to {1}", "next_weekday": "the first weekday from {0}",
           "next_working_day": "the first working day from {0}", "end_of_month": "the last day of the month of {0}",
           "week_start": "the Monday of the week of {0}", "is_working_day": "{0} is a working day",
           "year": "the year of {0}", "month": "the month of {0}", "quarter": "the quarter of {0}",
           "months": "the months from {0} to {1}", "share": "the share {all}", "percent": "the percentage {all}",
           "answers": "{1} answering {0}"},
}
_WORDS = {
    "da": {"as_of": "opgørelsesdagen", "it": "den enkelte", "and": "og", "else": "ellers", "if": "hvis",
           "then": "så", "where": "hvor", "not": "ikke", "case": "forløbet", "cases": "forløbene",
           "offering": "tilbuddet", "period_start": "periodens start", "period_end": "periodens slutning",
           "contract": "kontrakten", "reading": "læsningen af", "item": "den udløsende hændelse"},
    "en": {"as_of": "the evaluation date", "it": "each", "and": "and", "else": "otherwise", "if": "if",
           "then": "then", "where": "where", "not": "not", "case": "the case", "cases": "the cases",
           "offering": "the offering", "period_start": "the period's start", "period_end": "the period's end",
           "contract": "the contract", "reading": "the reading of", "item": "the triggering event"},
}
# what a rule's outputs are called (deadline and amount outputs; others fall back to the rule's title)
_FIELDS = {
    "da": {"due": "frist", "fulfilled": "opfyldt", "late_days": "dage for sent",
           "late_working_days": "arbejdsdage for sent", "status": "status", "amount": "beløb",
           "applied": "anvendt", "value": "", "date": "dato", "original_due": "oprindelig frist",
           "units": "antal", "rate": "sats", "holds": "opfyldt"},
    "en": {"due": "due date", "fulfilled": "fulfilled", "late_days": "days late",
           "late_working_days": "working days late", "status": "status", "amount": "amount",
           "applied": "applied", "value": "", "date": "date", "original_due": "original due date",
           "units": "units", "rate": "rate", "holds": "holds"},
}


def humane(name: str) -> str:
    """A last resort for a name with no title: words, not an identifier."""
    return name.replace("_", " ").replace(".", " ")


_ITS = {"da": "den enkeltes {field}", "en": "its {field}"}
_PICK = re.compile(r"(?:first|last)\(([a-z_][a-z0-9_.]*)\)")
_IDENT = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?")
_NO_DATA = {"da": "ingen data at beregne ud fra", "en": "no data to compute from"}


def missing_words(what: str, names: Names) -> str:
    """What the runtime reports as missing (a name, 'offering.attr', an element's field, the first or last of
    an empty list of events, or another expression over an empty list)."""
    picked = _PICK.fullmatch(what)
    if picked:  # first(X)/last(X) of no X: the events that are not there
        return missing_words(picked.group(1), names)
    if not _IDENT.fullmatch(what):
        return _NO_DATA[names.lang]
    head, _, field = what.partition(".")
    if head in ("item", "it") and field:  # the element's field: an event type (a case's record) or a field
        title = names.title("events", field) or names.field(field)
        if title:
            return f"«{title}»"
    for kind in ("fact", "events", "param", "rule", "value"):
        title = names.title(kind, head)
        if title:
            return f"«{title}»" + (f": {names.field(field) or humane(field)}" if field else "")
    if head == "offering" and field:
        return f"«{names.field(field) or humane(field)}»"
    return f"«{humane(what)}»"


_ITEM = {"da": {"case": "forløbet", "date": "datoen", "months": "måneden", "other": "elementet"},
         "en": {"case": "the case", "date": "the date", "months": "the month", "other": "the element"}}


def item_words(each: Checked | None, names: Names) -> str | None:
    """How `item` reads under an `each:`: the title of the event type it walks («Påkrav»), the case (a
    portfolio's cases), the month (months(…): each month's first day), the date (another list of dates), else
    the element; None without `each` (the generic word)."""
    if each is None:
        return None
    elem = each.type.elem if isinstance(each.type, t.ListType) else None
    if isinstance(elem, t.Record):
        contract = names.contract
        event = contract.events.get(elem.name) or contract.portfolio.events.get(elem.name)
        if event is not None:
            return f"«{event.title.get(names.lang)}»"
        if elem.name == "case":
            return _ITEM[names.lang]["case"]
    if elem == t.DATE:
        return _ITEM[names.lang]["months" if isinstance(each.node, ast.Call) and each.node.fn == "months" else "date"]
    return _ITEM[names.lang]["other"]


def clean(text: str) -> bool:
    """Whether `text` reads as prose: no identifiers, no code operators."""
    return CODE.search(text) is None


class Names:
    """The declared titles of what an expression can name."""

    def __init__(self, contract: Contract, lang: str) -> None:
        self.contract, self.lang = contract, lang
        self.item: str | None = None  # how `item` reads while a rule or check with `each:` is rendered (item_words)
        self.lets: Mapping[str, Text] = {}  # the titles of the local names of the rule being rendered (`let:`)

    def title(self, kind: str, name: str) -> str | None:
        """The declared title of a name of this kind; None when it has none."""
        return self._title(kind, name) or None

    def _title(self, kind: str, name: str) -> str | None:
        c, lang = self.contract, self.lang
        if kind == "fact":
            decl = c.facts.get(name) or c.portfolio.facts.get(name)
            if decl is not None:
                return decl.title.get(lang)
        elif kind == "param" and name in c.parameters:
            return c.parameters[name].title.get(lang)
        elif kind == "events":
            event = c.events.get(name) or c.portfolio.events.get(name)
            if event is not None:
                return event.title.get(lang)
        elif kind in ("rule", "value"):
            rule = c.rule(name)
            if rule is not None:
                return rule.title.get(lang)
            for fig in (*c.portfolio.values, *c.portfolio.statistics, *c.portfolio.settlements):
                if fig.id == name:
                    return fig.title.get(lang)
        elif kind == "assume" and name in c.assumptions:
            return c.assumptions[name].title.get(lang)
        elif kind == "let" and name in self.lets:
            return self.lets[name].get(lang)
        if kind == "item" and self.item:
            return self.item
        words = _WORDS[lang]
        return words.get(name, words.get(kind))

    def field(self, name: str) -> str | None:
        """What a record field is called: an event field's or offering attribute's title, a case's fact or
        rule (in a portfolio), or a rule output; None when it has no title."""
        c = self.contract
        for decl in (*c.events.values(), *c.portfolio.events.values()):
            if name in decl.fields and decl.fields[name].title.da:
                return decl.fields[name].title.get(self.lang)
        attrs = c.offering_attrs.get(name)
        if attrs is not None and attrs.title.da:
            return attrs.title.get(self.lang)
        if name in _FIELDS[self.lang]:
            return _FIELDS[self.lang][name]
        for kind in ("fact", "rule"):
            title = self.title(kind, name)
            if title:
                return title
        return None


def in_words(checked: Checked, values: dict[Any, Any], fmt: PlainFormatter, names: Names,
             named: bool = False) -> str | None:
    """The expression in words, with every value it had in place of its name (`named`: the names' titles,
    for an expression that only passes a value on); None when some part of it has no words (a name
    without a title, an unknown function): then only the value is shown."""
    words = _Words(checked, values, fmt, names, named)
    text = words.node(checked.node)
    return None if words.gaps or not clean(text) else text


class _Words:
    def __init__(self, checked: Checked, values: dict[Any, Any], fmt: PlainFormatter, names: Names,
                 named: bool = False) -> None:
        self.c, self.values, self.fmt, self.names, self.named = checked, values, fmt, names, named
        self.gaps = 0
        self.lang = fmt.lang
        self.ops = _OPS[self.lang]
        self.elements: list[str] = []  # the element names (`it`, `e`) of the `where`s being rendered

    def node(self, node: ast.Node) -> str:
        if node in self.values and not self.named and (isinstance(node, ast.Name | ast.Attr)
                                    or (isinstance(node, ast.Call) and node.fn not in _ARITH)) \
                and not self._of_element(node):
            return self.value(self.values[node], self.c.types.get(node))
        if isinstance(node, ast.Quantity):
            amount: Any = node.value if node.unit in ("money", "percent") else int(node.value)
            return self.fmt.value(amount, self.c.types.get(node))
        if isinstance(node, ast.Number | ast.DateLit | ast.Bool):
            return self.fmt.value(node.value, self.c.types.get(node))
        if isinstance(node, ast.Text):
            return self.value(node.value, self.c.types.get(node))
        method = getattr(self, "n_" + type(node).__name__.lower(), None)
        if method is None:
            self.gaps += 1
            return self.c.text[node.pos:node.end]
        return str(method(node))

    def value(self, value: Any, typ: t.Type | None) -> str:
        if isinstance(value, str) and not isinstance(typ, t.EnumType):
            return f"«{value}»"
        return self.fmt.value(value, typ)

    def n_name(self, node: ast.Name) -> str:
        sym = self.c.symbols.get(node)
        if sym is not None and sym.kind == "var" and node.name in self.elements:  # `where e: …`'s element
            return _WORDS[self.lang]["it"]
        title = self.names.title(sym.kind if sym else "", node.name)
        if title is None:
            self.gaps += 1
            return node.name
        return f"«{title}»" if sym is not None and sym.kind == "events" else title

    def n_attr(self, node: ast.Attr) -> str:
        sym = self.c.symbols.get(node.obj)
        if isinstance(node.obj, ast.Name) and sym is not None and sym.kind == "assume":
            return f"{_WORDS[self.lang]['reading']} «{self.names.title('assume', node.name) or node.name}»"
        owner = self.node(node.obj)
        field = self.names.field(node.name)
        if field is None:
            self.gaps += 1
            return f"{owner}.{node.name}"
        if isinstance(node.obj, ast.Name) and node.obj.name in self.elements and field:
            return _ITS[self.lang].format(field=field)  # a field of the element: 'den enkeltes dato', 'its date'
        return f"{owner}: {field}" if field else owner

    def n_call(self, node: ast.Call) -> str:
        args = [self.node(a) for a in node.args]
        sym = self.c.symbols.get(node)
        if sym is not None and sym.kind == "function":  # a local function (`let` with `params`): by its title
            title = self.names.lets.get(sym.name)
            return f"{title.get(self.lang) if title else sym.name.replace('_', ' ')} ({', '.join(args)})"
        pattern = _FN[self.lang].get(node.fn)
        if pattern is None:
            self.gaps += 1
            return f"{node.fn}({', '.join(args)})"
        return pattern.format(*[*args, "", ""], all=self._all(args))

    def _all(self, parts: list[str]) -> str:
        if len(parts) < 2:
            return "".join(parts)
        return ", ".join(parts[:-1]) + f" {_WORDS[self.lang]['and']} " + parts[-1]

    def n_listlit(self, node: ast.ListLit) -> str:
        return self._all([self.node(i) for i in node.items])

    def n_unary(self, node: ast.Unary) -> str:
        operand = self.node(node.operand)
        if ast.bracketed(self._shown(node.operand), ast.UNARY):
            operand = f"({operand})"
        return (_WORDS[self.lang]["not"] + " " if node.op == "not" else "−") + operand

    def n_ifelse(self, node: ast.IfElse) -> str:
        if node.cond in self.values:
            return self.node(node.then if self.values[node.cond] else node.other)
        w = _WORDS[self.lang]
        return f"{w['if']} {self.node(node.cond)} {w['then']} {self.node(node.then)}, {w['else']} " \
               f"{self.node(node.other)}"

    def n_where(self, node: ast.Where) -> str:
        """`LIST where COND`: the condition in words, with the values of what it reads of each element left out
        (what the trace holds of them is the last element's: 'each: date > 1 March 2021', never '2 April 2021 >
        1 March 2021')."""
        source = self.node(node.source)
        if self.elements and self._of_element(node.cond):
            self.gaps += 1  # it reads the element of an enclosing `where` too: both would be 'its'
        self.elements.append(node.var or "it")
        try:
            cond = self.node(node.cond)
        finally:
            self.elements.pop()
        return f"{source} {_WORDS[self.lang]['where']} {cond}"

    def _of_element(self, node: ast.Node) -> bool:
        """Whether `node` reads the element of a `where` being rendered (its value differs from one to the next)."""
        if not self.elements:
            return False
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and inner.name in self.elements:
                sym = self.c.symbols.get(inner)
                if sym is not None and sym.kind in ("it", "var"):
                    return True
        return False

    def n_binary(self, node: ast.Binary) -> str:
        if node.op == "??":
            if self._has_value(node.left):
                return self.node(node.left)
            if node in self.values:
                return self.node(node.right)
            return f"{self.node(node.left)}, {_WORDS[self.lang]['else']} {self.node(node.right)}"
        prec = ast.PRECEDENCE.get(node.op, 3)
        left, right = self.node(node.left), self.node(node.right)
        if ast.bracketed(self._shown(node.left), prec):
            left = f"({left})"
        if ast.bracketed(self._shown(node.right), prec, node.op):
            right = f"({right})"
        return f"{left} {self.ops.get(node.op, node.op)} {right}"

    def _shown(self, node: ast.Node) -> ast.Node:
        return shown_as(node, self.values, self._has_value)

    def _has_value(self, node: ast.Node) -> bool:
        if node in self.values:
            return self.values[node] is not None
        return isinstance(node, ast.Number | ast.Quantity | ast.Text | ast.DateLit | ast.Bool)
