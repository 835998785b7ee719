"""Which checks each current grade fails: the "same skill failing again" flag, made cheap.

Reading every grade's JSON on each overview costs hundreds of milliseconds for a big
cohort (more on PostgreSQL), so each grade's failing check ids are extracted once into
``grade_digest`` and kept until an override changes that grade (``forget``). Missing
digests are filled on the next read, in one bulk insert that tolerates a concurrent
filler; the SQL statements used do not depend on how many learners there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from leadworks.cohorts.models import Membership
from leadworks.core.db import write_intent
from leadworks.feedback.grades import OverrideLike, check_views
from leadworks.feedback.models import GradeDigest, GradeOverride
from leadworks.submissions.models import GradeRecord, Submission


def failing_ids(result: Mapping[str, Any], overrides: Sequence[OverrideLike]) -> str:
    """Space-separated ids of the checks earning under half their points."""
    return " ".join(c.id for c in check_views(result, overrides) if c.failing)[:2000]


def forget(*, session: Session, grade_id: int) -> None:
    """Drop a grade's digest because its effective points changed (an override)."""
    session.exec(delete(GradeDigest).where(col(GradeDigest.grade_id) == grade_id))


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(GradeDigest).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(GradeDigest).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        statement = insert(GradeDigest)
    session.exec(statement, params=rows)


def _fill(session: Session, grade_ids: list[int]) -> dict[int, str]:
    """Digest these grades now (one read, one bulk insert); returns what was stored."""
    results = session.exec(
        select(GradeRecord.id, GradeRecord.result).where(col(GradeRecord.id).in_(grade_ids))
    ).all()
    overrides: dict[int, list[GradeOverride]] = defaultdict(list)
    for override in session.exec(
        select(GradeOverride)
        .where(col(GradeOverride.grade_id).in_(grade_ids))
        .order_by(col(GradeOverride.id))
    ):
        overrides[override.grade_id].append(override)
    digests = {
        gid: failing_ids(result, overrides[gid]) for gid, result in results if gid is not None
    }
    with write_intent(session):
        _insert_ignoring_duplicates(
            session, [{"grade_id": gid, "failing": f} for gid, f in digests.items()]
        )
        session.commit()
    return digests


def repeated_failures(
    *, session: Session, cohort_id: int, repeats: int
) -> dict[int, list[tuple[str, int]]]:
    """Learner id -> [(check id, attempts failing it)] for checks failed ``repeats``+ times.

    One query in the steady state; grades without a digest yet are digested first.
    """
    query = (
        select(Submission.user_id, GradeRecord.id, GradeDigest.failing)
        .join(Membership, col(Membership.user_id) == Submission.user_id)
        .join(
            GradeRecord,
            and_(
                col(GradeRecord.submission_id) == Submission.id,
                col(GradeRecord.is_current) == True,  # noqa: E712
            ),
        )
        .join(GradeDigest, col(GradeDigest.grade_id) == GradeRecord.id, isouter=True)
        .where(Membership.cohort_id == cohort_id)
    )
    rows = session.connection().execute(query).all()
    missing = [gid for _, gid, failing in rows if failing is None]
    filled = _fill(session, missing) if missing else {}
    per_learner: dict[int, Counter[str]] = defaultdict(Counter)
    for user_id, gid, failing in rows:
        text = filled.get(gid, "") if failing is None else failing
        if text:
            per_learner[user_id].update(set(text.split()))
    return {
        uid: sorted(((cid, n) for cid, n in counts.items() if n >= repeats), key=lambda x: -x[1])
        for uid, counts in per_learner.items()
        if any(n >= repeats for n in counts.values())
    }
