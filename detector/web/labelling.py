"""The 标注 page: the labelling queue of ``detector label``, one pair at a time, saved at once.

A round is a queue of pairs chosen by :func:`detector.active.queue` with the workbench's model (pairs
already labelled, here or in the registry's labels.csv, are not asked again), stored in the workbench's
database like decisions. Each pair is shown side by side as on a screening result; the reviewer answers
重复 / 不重复 / 不确定 (keys 1 / 2 / 3, ← for the previous pair, in ``static/label.js``). Labels are
append-only: answering a pair again records a newer label, which wins. ``detector learn`` reads them.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ..active import pair_kind, queue
from ..explain import reasons_for
from ..io.labels import load_labels, registry_labels
from ..learn import DEFAULT_L2, gather
from .db import LABEL_VALUES, NewLabel, PairLabel, Queue, QueuePair
from .pages import MAX_REVIEWER, REVIEWER_COOKIE  # one reviewer name for decisions and labels
from .templating import page
from .viewmodels import _rows as side_by_side, association_side
from .workbench import Workbench, workbench

router = APIRouter(include_in_schema=False)
QUEUE_SIZE = 30
MAX_QUEUE = 200
MAX_NOTE = 500


def _file_labels(wb: Workbench):
    path = registry_labels(wb.registry.source)
    return load_labels(path, wb.registry) if path else None


def _store_labels(labels: list[PairLabel]) -> pd.DataFrame:
    rows = [{"id_a": r.id_a, "id_b": r.id_b, "label": int(r.label), "reviewer": r.reviewer, "labelled_at": r.created_at}
            for r in labels if r.label in ("0", "1")]
    return pd.DataFrame(rows, columns=["id_a", "id_b", "label", "reviewer", "labelled_at"])


def make_queue(wb: Workbench, n: int) -> str:
    """A new round of ``n`` pairs (the most informative not yet labelled nor skipped); returns its id."""
    study = wb.study()
    answered = wb.store.pair_labels()
    skipped = {frozenset((r.id_a, r.id_b)) for r in answered if r.label == "?"}
    engine = wb.engine
    labelled = gather(engine, _file_labels(wb), _store_labels(answered)).features
    l2 = float(engine.pair_model.provenance.get("l2", DEFAULT_L2)) if engine.pair_model else DEFAULT_L2
    chosen = queue(study.profiles, study.pairs, engine.scorer, engine.thresholds["group"], n, labelled, l2, skipped)
    pairs = [QueuePair(k, r.id_a, r.id_b, float(r.score), r.kind) for k, r in enumerate(chosen.itertuples(), 1)]
    if not pairs:
        raise HTTPException(400, "没有可标注的组织对：候选组织对都已标注，或都由政策规则判定")
    return wb.store.add_queue(wb.version, pairs)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    answers: dict[int, PairLabel]  # seq → the pair's latest label

    def next_open(self, after: int = 0) -> int | None:
        """The first unanswered pair after ``after`` (wrapping round), None when all are answered."""
        order = [s for s in range(after + 1, self.total + 1)] + [s for s in range(1, after + 1)]
        return next((s for s in order if s not in self.answers), None)


def progress(wb: Workbench, q: Queue) -> Progress:
    latest = {frozenset((r.id_a, r.id_b)): r for r in wb.store.pair_labels()}
    answers = {p.seq: latest[frozenset((p.id_a, p.id_b))] for p in q.pairs if frozenset((p.id_a, p.id_b)) in latest}
    return Progress(len(answers), len(q.pairs), answers)


def _queue_or_404(wb: Workbench) -> Queue:
    q = wb.store.latest_queue()
    if q is None:
        raise HTTPException(404, "还没有待标注的组织对：请先在“标注”页生成一轮")
    return q


@router.get("/label")
def overview(request: Request) -> Response:
    wb = workbench(request)
    q = wb.store.latest_queue()
    state = progress(wb, q) if q else None
    names = dict(zip(wb.registry.associations["id"], wb.registry.associations["name"]))
    rows = [(p, names.get(p.id_a, p.id_a), names.get(p.id_b, p.id_b), state.answers.get(p.seq)) for p in q.pairs] \
        if q else []
    return page(request, "label.html", {"active": "label", "queue": q, "state": state, "rows": rows,
                                        "size": QUEUE_SIZE, "total_labels": len(wb.store.pair_labels()),
                                        "registry": wb.registry.source, "LABEL_VALUES": LABEL_VALUES})


@router.post("/label/queue")
async def new_queue(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=4)
    text = str(form.get("n") or QUEUE_SIZE).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUEUE:
        raise HTTPException(400, f"每轮组织对数应为 1 到 {MAX_QUEUE} 之间的整数")
    await run_in_threadpool(make_queue, workbench(request), int(text))
    return RedirectResponse("/label/1", status_code=303)


@router.get("/label/labels.csv")
def labels_csv(request: Request) -> Response:
    """Every label of the workbench as a labels.csv (FORMAT.md), with the two names."""
    wb = workbench(request)
    names = dict(zip(wb.registry.associations["id"], wb.registry.associations["name"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id_a", "id_b", "label", "reviewer", "note", "labelled_at", "name_a", "name_b"])
    for r in wb.store.pair_labels():
        writer.writerow([r.id_a, r.id_b, r.label, r.reviewer, r.note, r.created_at, names.get(r.id_a, ""),
                         names.get(r.id_b, "")])
    filename = f"labels-{datetime.now():%Y%m%d-%H%M}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _pair_view(wb: Workbench, pair: QueuePair) -> dict:
    """Both associations side by side, the reasons, the shared members and the current probability."""
    engine = wb.engine
    p = engine.profiles
    f = engine.score_ids(p, p, [(pair.id_a, pair.id_b)]).iloc[0].to_dict()
    reasons = reasons_for(f, p, p)
    a, b = engine.registry.get(pair.id_a), engine.registry.get(pair.id_b)
    sides = [association_side(x, len(p.members[p.row_of[x.id]]), p.home) for x in (a, b)]
    keys_a, keys_b = p.member_table.key_sets([a.id, b.id])
    shared = keys_a & keys_b
    shared_names = list(dict.fromkeys(m.name for m in p.member_table.members(a.id) if m.key in shared))
    return {"a": a, "b": b, "rows": side_by_side(*sides), "reasons": reasons, "shared": shared_names,
            "probability": float(f["score"]), "kind": pair_kind(f), "gate": f["gate_reason"]}


@router.get("/label/{seq}")
def pair_page(request: Request, seq: int, error: str | None = None, status: int = 200) -> Response:
    wb = workbench(request)
    q = _queue_or_404(wb)
    if not 1 <= seq <= len(q.pairs):
        raise HTTPException(404, f"本轮只有 {len(q.pairs)} 对，没有第 {seq} 对")
    pair = q.pairs[seq - 1]
    state = progress(wb, q)
    try:
        view = _pair_view(wb, pair)
    except KeyError:
        raise HTTPException(404, f"组织 {pair.id_a} 或 {pair.id_b} 不在当前登记库中（登记库可能已更换）") from None
    reviewer = unquote(request.cookies.get(REVIEWER_COOKIE, ""))
    return page(request, "label_pair.html", {
        "active": "label", "queue": q, "pair": pair, "seq": seq, "state": state, "view": view,
        "current": state.answers.get(seq), "reviewer": reviewer, "error": error, "LABEL_VALUES": LABEL_VALUES,
        "percent": _percent}, status)


def _percent(x: float) -> Markup:
    """A probability for people: 87%, never a certain 0% or 100% for a model's estimate."""
    text = "< 1%" if x < 0.005 else "> 99%" if x > 0.995 else f"{x:.0%}"
    return Markup(text)


@router.post("/label/{seq}")
async def save_label(request: Request, seq: int) -> Response:
    wb = workbench(request)
    q = _queue_or_404(wb)
    if not 1 <= seq <= len(q.pairs):
        raise HTTPException(404, f"本轮只有 {len(q.pairs)} 对，没有第 {seq} 对")
    form = await request.form(max_files=0, max_fields=8)
    label, reviewer, note = (str(form.get(k) or "").strip() for k in ("label", "reviewer", "note"))
    error = ("请选择标注：重复、不重复或不确定" if label not in LABEL_VALUES else
             "请填写标注人姓名" if not reviewer else
             f"标注人姓名不超过 {MAX_REVIEWER} 字，备注不超过 {MAX_NOTE} 字"
             if len(reviewer) > MAX_REVIEWER or len(note) > MAX_NOTE else None)
    if error:
        return pair_page(request, seq, error, 400)
    pair = q.pairs[seq - 1]
    await run_in_threadpool(wb.store.add_label, NewLabel(reviewer, pair.id_a, pair.id_b, label, note, q.queue_id, seq,
                                                         pair.score), wb.version)
    after = progress(wb, q).next_open(seq)
    response = RedirectResponse(f"/label/{after}" if after else "/label", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(reviewer), max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response
