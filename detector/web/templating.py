"""Page rendering: the Jinja2 environment (autoescaped, Chinese labels from the policy vocabulary) and
:func:`page`, which every HTML handler returns."""
from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from .. import __version__
from ..policy import (
    PROBABILITY_ZH,
    RELATION_ZH,
    RULE_TITLES,
    SEVERITY_ZH,
    SIMILARITY_NOTE,
    SIMILARITY_ZH,
    VERDICT_ZH,
    match_figure,
    percent,
)
from . import viewmodels
from .db import DECISIONS
from .workbench import version_label

HERE = Path(__file__).resolve().parent


def templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.filters["text"] = viewmodels.text
    env.globals.update(VERDICTS=VERDICT_ZH, RELATIONS=RELATION_ZH, SEVERITIES=SEVERITY_ZH, RULE_TITLES=RULE_TITLES,
                       PROBABILITY=PROBABILITY_ZH, SIMILARITY=SIMILARITY_ZH, SIMILARITY_NOTE=SIMILARITY_NOTE,
                       match_figure=match_figure, percent=percent, SOURCES=viewmodels.SOURCES, DECISIONS=DECISIONS, FIELD_LABELS=viewmodels.FIELD_LABELS,
                       version=__version__, version_label=version_label, submission_key=lambda: uuid.uuid4().hex)
    return Jinja2Templates(env=env)


def page(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    """Render a page template (``request`` and the workbench are always available to it)."""
    env: Jinja2Templates = request.app.state.templates
    return env.TemplateResponse(request, template, {"wb": request.app.state.workbench, **context},
                                      status_code=status)
