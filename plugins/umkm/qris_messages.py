"""Problems found by the QRIS codec (plugins/umkm/qris.py), in the visitor's or operator's
language. The codec's message templates, tag labels and descriptions of expected values are
Indonesian msgids marked with ``gettext_noop``; other parameters (values read from the code,
positions) are shown as they are."""

from __future__ import annotations

from django.utils.translation import gettext

from .qris import Problem


def _translated(value):
    return gettext(value) if isinstance(value, str) and value else value


def problem_message(problem: Problem) -> str:
    params = {"tag": problem.tag, **problem.params}
    for key in ("name", "expected"):
        if key in params:
            params[key] = _translated(params[key])
    return gettext(problem.template) % params


def problem_messages(problems: list[Problem]) -> list[str]:
    return [problem_message(p) for p in problems]
