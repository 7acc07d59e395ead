"""The workbench's store: screening runs, reviewers' decisions and pair labels in one SQLite file (append-only).

One connection per operation, WAL journal, ``BEGIN IMMEDIATE`` for writes and a busy timeout, so
several reviewers (threads or processes) never lose each other's records. Triggers forbid UPDATE and
DELETE: a decision is corrected by recording a newer one (``supersedes`` names the one it corrects), the
audit trail keeps both, and the *current* decision of an application is its latest. A form's ``submission``
key is stored with what it created, so the same submission sent twice is stored once.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

DB_FILE = "decisions.sqlite"  # in the workbench's data folder
DECISIONS = {"approve": "准予登记", "join": "建议加入", "reject": "不予登记", "more_info": "补正材料"}
BUSY_SECONDS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, source TEXT NOT NULL,
    model TEXT NOT NULL, warnings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS screenings (
    run_id TEXT NOT NULL REFERENCES runs (run_id), seq INTEGER NOT NULL,
    app_id TEXT NOT NULL, app_name TEXT NOT NULL, verdict TEXT NOT NULL,
    application TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, reviewer TEXT NOT NULL,
    run_id TEXT NOT NULL, seq INTEGER NOT NULL, app_id TEXT NOT NULL, app_name TEXT NOT NULL,
    application TEXT NOT NULL, verdict TEXT NOT NULL, top_match_id TEXT NOT NULL, top_match_score REAL,
    result TEXT NOT NULL, model TEXT NOT NULL, decision TEXT NOT NULL, target_id TEXT NOT NULL,
    target_name TEXT NOT NULL, comment TEXT NOT NULL,
    FOREIGN KEY (run_id, seq) REFERENCES screenings (run_id, seq));
CREATE INDEX IF NOT EXISTS decisions_by_screening ON decisions (run_id, seq);
CREATE TABLE IF NOT EXISTS label_queues (
    queue_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, model TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queue_pairs (
    queue_id TEXT NOT NULL REFERENCES label_queues (queue_id), seq INTEGER NOT NULL,
    id_a TEXT NOT NULL, id_b TEXT NOT NULL, score REAL NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (queue_id, seq));
CREATE TABLE IF NOT EXISTS labels (
    label_id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, reviewer TEXT NOT NULL,
    id_a TEXT NOT NULL, id_b TEXT NOT NULL, label TEXT NOT NULL, note TEXT NOT NULL,
    queue_id TEXT NOT NULL, seq INTEGER, score REAL, model TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS labels_by_pair ON labels (id_a, id_b);
"""
# Columns added after the first release: added to an existing file when it is opened.
_ADDED = (("runs", "submission", "TEXT"), ("decisions", "supersedes", "INTEGER"), ("decisions", "submission", "TEXT"))
_ADDED_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS runs_by_submission ON runs (submission) WHERE submission IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS decisions_by_submission ON decisions (submission) WHERE submission IS NOT NULL;
"""
_CURRENT = "decision_id IN (SELECT MAX(decision_id) FROM decisions GROUP BY run_id, seq)"
APPEND_ONLY_TABLES = ("runs", "screenings", "decisions", "label_queues", "queue_pairs", "labels")
LABEL_VALUES = {"1": "重复", "0": "不重复", "?": "不确定"}  # a stored label → its Chinese name
_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
"""


@dataclass(frozen=True)
class Screening:
    run_id: str
    seq: int  # 1-based position in the run
    app_id: str
    app_name: str
    verdict: str
    application: dict  # associations.csv fields + "members"
    result: dict  # ScreenResult.to_json()


@dataclass(frozen=True)
class Run:
    run_id: str
    created_at: str
    source: str
    model: dict
    warnings: list[str]
    screenings: list[Screening]


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    created_at: str
    source: str
    count: int
    first_name: str


@dataclass(frozen=True)
class NewDecision:
    reviewer: str
    decision: str  # a key of DECISIONS
    target_id: str  # the existing association to join ("" unless decision == "join")
    target_name: str
    comment: str


@dataclass(frozen=True)
class Decision:
    decision_id: int
    created_at: str
    reviewer: str
    run_id: str
    seq: int
    app_id: str
    app_name: str
    application: dict
    verdict: str
    top_match_id: str
    top_match_score: float | None
    result: dict
    model: dict
    decision: str
    target_id: str
    target_name: str
    comment: str
    supersedes: int | None = None  # the decision this one corrects
    submission: str | None = None

    @property
    def decision_zh(self) -> str:
        return DECISIONS.get(self.decision, self.decision)

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "decision_zh": self.decision_zh}


class StaleDecision(Exception):
    """A correction of a decision that is no longer the current one (someone recorded a newer one)."""

    def __init__(self, current: Decision | None):
        super().__init__(current.decision_id if current else None)
        self.current = current
@dataclass(frozen=True)
class QueuePair:
    """One pair of a labelling queue (``detector label``'s choice, shown one at a time on the 标注 page)."""

    seq: int  # 1-based
    id_a: str
    id_b: str
    score: float  # the probability shown when the queue was made
    kind: str  # the pair's kind (active.pair_kind), in Chinese


@dataclass(frozen=True)
class Queue:
    queue_id: str
    created_at: str
    model: dict
    pairs: list[QueuePair]


@dataclass(frozen=True)
class NewLabel:
    reviewer: str
    id_a: str
    id_b: str
    label: str  # a key of LABEL_VALUES
    note: str = ""
    queue_id: str = ""
    seq: int | None = None
    score: float | None = None


@dataclass(frozen=True)
class PairLabel:
    label_id: int
    created_at: str
    reviewer: str
    id_a: str
    id_b: str
    label: str
    note: str
    queue_id: str
    seq: int | None
    score: float | None
    model: dict

    @property
    def label_zh(self) -> str:
        return LABEL_VALUES.get(self.label, self.label)


@dataclass(frozen=True)
class DecisionLabel:
    """What a reviewer's decision says about one pair (application, registered association shown to them):
    建议加入 X = a duplicate of X (1); 准予登记 = a duplicate of none of the matches shown (0)."""

    application: dict
    run_id: str
    seq: int
    match_id: str
    label: int
    reviewer: str
    created_at: str


def now() -> str:
    """Local time with its UTC offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _screening(row: sqlite3.Row) -> Screening:
    return Screening(row["run_id"], row["seq"], row["app_id"], row["app_name"], row["verdict"],
                     json.loads(row["application"]), json.loads(row["result"]))


def _decision(row: sqlite3.Row) -> Decision:
    values = dict(row)
    for key in ("application", "result", "model"):
        values[key] = json.loads(values[key])
    return Decision(**values)


class Store:
    """Runs, screenings and decisions in ``path`` (created on first use)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        triggers = "".join(_APPEND_ONLY.format(table=t, op=op)
                           for t in APPEND_ONLY_TABLES for op in ("UPDATE", "DELETE"))
        con = self._connect()
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}{triggers}COMMIT;")
        # kept open, idle, while the store is in use: closing the file's last connection checkpoints the WAL
        # with fsyncs (~20 ms), which every operation on a connection of its own would otherwise pay
        self._keeper = con
        with self._write() as con:
            for table, column, kind in _ADDED:
                if column not in {r["name"] for r in con.execute(f"PRAGMA table_info({table})")}:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            for statement in filter(str.strip, _ADDED_INDEXES.split(";")):
                con.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        con.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        con.execute("PRAGMA foreign_keys = ON")
        con.row_factory = sqlite3.Row
        return con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front (no upgrade deadlocks)."""
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with closing(self._connect()) as con:
            return con.execute(sql, params).fetchall()

    # ---------------------------------------------------------------------------------------- runs

    def add_run(self, source: str, model: dict, warnings: list[str], items: list[tuple[dict, dict]],
                submission: str | None = None) -> str:
        """Store one screening run: (application, screen result JSON) pairs; returns the run id (the stored
        run's, when this ``submission`` was stored before)."""
        run_id = uuid.uuid4().hex[:16]
        rows = [(run_id, seq, result["id"], result["name"], result["verdict"], _dumps(app), _dumps(result))
                for seq, (app, result) in enumerate(items, start=1)]
        with self._write() as con:
            if submission and (done := con.execute("SELECT run_id FROM runs WHERE submission = ?",
                                                   (submission,)).fetchone()):
                return done["run_id"]
            con.execute("INSERT INTO runs (run_id, created_at, source, model, warnings, submission) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (run_id, now(), source, _dumps(model), _dumps(warnings), submission))
            con.executemany("INSERT INTO screenings VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return run_id

    def run_of_submission(self, submission: str) -> str | None:
        """The run stored for a form submission, if any."""
        rows = self._read("SELECT run_id FROM runs WHERE submission = ?", (submission,))
        return rows[0]["run_id"] if rows else None

    def run(self, run_id: str) -> Run | None:
        found = self._read("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        if not found:
            return None
        head = found[0]
        rows = self._read("SELECT * FROM screenings WHERE run_id = ? ORDER BY seq", (run_id,))
        return Run(run_id, head["created_at"], head["source"], json.loads(head["model"]),
                   json.loads(head["warnings"]), [_screening(r) for r in rows])

    def screening(self, run_id: str, seq: int) -> Screening | None:
        rows = self._read("SELECT * FROM screenings WHERE run_id = ? AND seq = ?", (run_id, seq))
        return _screening(rows[0]) if rows else None

    def recent_runs(self, limit: int = 10) -> list[RunSummary]:
        rows = self._read(
            "SELECT r.run_id, r.created_at, r.source, COUNT(*) AS n, "
            "MAX(CASE WHEN s.seq = 1 THEN s.app_name END) AS first_name "
            "FROM runs r JOIN screenings s USING (run_id) GROUP BY r.run_id ORDER BY r.rowid DESC LIMIT ?", (limit,))
        return [RunSummary(r["run_id"], r["created_at"], r["source"], r["n"], r["first_name"]) for r in rows]

    # ----------------------------------------------------------------------------------- decisions

    def add_decision(self, screening: Screening, new: NewDecision, model: dict, supersedes: int | None = None,
                     submission: str | None = None) -> int:
        """Append a reviewer's decision on one screened application; returns its id.

        ``supersedes``: the current decision this one corrects (None for the first decision). Raises
        :class:`StaleDecision` when that is not the current decision (someone recorded a newer one). The same
        ``submission`` sent again returns the id stored the first time and stores nothing.
        """
        if new.decision not in DECISIONS:
            raise ValueError(f"unknown decision {new.decision!r}")
        top = (screening.result.get("matches") or [{}])[0]
        with self._write() as con:
            if submission and (done := con.execute("SELECT decision_id FROM decisions WHERE submission = ?",
                                                   (submission,)).fetchone()):
                return int(done["decision_id"])
            current = con.execute("SELECT * FROM decisions WHERE run_id = ? AND seq = ? ORDER BY decision_id DESC "
                                  "LIMIT 1", (screening.run_id, screening.seq)).fetchone()
            if (current["decision_id"] if current else None) != supersedes:
                raise StaleDecision(_decision(current) if current else None)
            cur = con.execute(
                "INSERT INTO decisions (created_at, reviewer, run_id, seq, app_id, app_name, application, verdict, "
                "top_match_id, top_match_score, result, model, decision, target_id, target_name, comment, supersedes, "
                "submission) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), new.reviewer, screening.run_id, screening.seq, screening.app_id, screening.app_name,
                 _dumps(screening.application), screening.verdict, top.get("id", ""), top.get("score"),
                 _dumps(screening.result), _dumps(model), new.decision, new.target_id, new.target_name, new.comment,
                 supersedes, submission))
            return int(cur.lastrowid)

    def current_decisions(self, run_id: str) -> dict[int, Decision]:
        """The current (latest) decision of each application of a run that has one, by its position."""
        rows = self._read(f"SELECT * FROM decisions WHERE run_id = ? AND {_CURRENT}", (run_id,))
        return {r["seq"]: _decision(r) for r in rows}

    def decisions(self, decision: str | None = None, run_id: str | None = None, seq: int | None = None,
                  limit: int | None = None, offset: int = 0, current: bool = False) -> list[Decision]:
        """Decisions, newest first; optionally only one kind, those on one screened application, or only the
        current ones (each application's latest)."""
        where, params = _filters(decision, run_id, seq, current)
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        rows = self._read(f"SELECT * FROM decisions{where} ORDER BY decision_id DESC{page}",
                          (*params, *((limit, offset) if limit is not None else ())))
        return [_decision(r) for r in rows]

    def count_decisions(self, decision: str | None = None, current: bool = False) -> int:
        where, params = _filters(decision, None, None, current)
        return int(self._read(f"SELECT COUNT(*) FROM decisions{where}", params)[0][0])

    # -------------------------------------------------------------------------------------- labels

    def add_queue(self, model: dict, pairs: list[QueuePair]) -> str:
        """Store a labelling queue; returns its id (the newest queue is the one the 标注 page shows)."""
        queue_id = uuid.uuid4().hex[:16]
        with self._write() as con:
            con.execute("INSERT INTO label_queues VALUES (?, ?, ?)", (queue_id, now(), _dumps(model)))
            con.executemany("INSERT INTO queue_pairs VALUES (?, ?, ?, ?, ?, ?)",
                            [(queue_id, q.seq, q.id_a, q.id_b, float(q.score), q.kind) for q in pairs])
        return queue_id

    def latest_queue(self) -> Queue | None:
        found = self._read("SELECT * FROM label_queues ORDER BY rowid DESC LIMIT 1")
        if not found:
            return None
        head = found[0]
        rows = self._read("SELECT * FROM queue_pairs WHERE queue_id = ? ORDER BY seq", (head["queue_id"],))
        return Queue(head["queue_id"], head["created_at"], json.loads(head["model"]),
                     [QueuePair(r["seq"], r["id_a"], r["id_b"], r["score"], r["kind"]) for r in rows])

    def add_label(self, new: NewLabel, model: dict) -> int:
        """Append one pair label; returns its id (a later label of the same pair supersedes it)."""
        if new.label not in LABEL_VALUES:
            raise ValueError(f"unknown label {new.label!r}")
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO labels (created_at, reviewer, id_a, id_b, label, note, queue_id, seq, score, model) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), new.reviewer, new.id_a, new.id_b, new.label, new.note, new.queue_id, new.seq, new.score,
                 _dumps(model)))
            return int(cur.lastrowid)

    def pair_labels(self) -> list[PairLabel]:
        """The latest label of every labelled pair (either order), oldest first."""
        rows = self._read("SELECT * FROM labels ORDER BY label_id")
        latest: dict[frozenset, sqlite3.Row] = {}
        for r in rows:
            latest.pop(frozenset((r["id_a"], r["id_b"])), None)
            latest[frozenset((r["id_a"], r["id_b"]))] = r
        return [PairLabel(**{**dict(r), "model": json.loads(r["model"])}) for r in latest.values()]

    def decision_labels(self) -> list[DecisionLabel]:
        """Pair labels from the latest decision on each screened application (建议加入, 准予登记)."""
        latest: dict[tuple[str, int], Decision] = {}
        for d in reversed(self.decisions()):  # oldest first: a newer decision replaces an older one
            latest[(d.run_id, d.seq)] = d
        out = []
        for d in latest.values():
            if d.decision == "join":
                out.append(DecisionLabel(d.application, d.run_id, d.seq, d.target_id, 1, d.reviewer, d.created_at))
            elif d.decision == "approve":
                out += [DecisionLabel(d.application, d.run_id, d.seq, m["id"], 0, d.reviewer, d.created_at)
                        for m in d.result.get("matches", [])]
        return out


def _filters(decision: str | None, run_id: str | None, seq: int | None, current: bool = False) -> tuple[str, tuple]:
    clauses = [(c, v) for c, v in (("decision = ?", decision), ("run_id = ?", run_id), ("seq = ?", seq))
               if v is not None]
    where = " AND ".join([*(c for c, _ in clauses), *([_CURRENT] if current else [])])
    return (f" WHERE {where}" if where else ""), tuple(v for _, v in clauses)
