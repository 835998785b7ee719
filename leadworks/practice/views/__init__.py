"""The learner's sandbox pages under /sandbox: exercises, the run workspace, hand-in, grade.

Views stay thin: read the form, call leadworks.practice.service or a module beside it
(sequences, notes, message_templates; every change to a run goes through ``act`` or
``hand_in`` with an idempotency key), render. Forms carry a hidden
``idempotency_key`` made when the page was rendered, so a double click applies once, and
``expected_count`` (the run's event count then), so a page left stale by another tab is
refused with a 409 and changes nothing.

One template, two uses: a run page renders whole, or (for htmx) only its ``workspace``
block: header, tabs and page together, so every form on it carries the fresh event count.
The prospect search also answers with just its ``results``, the composer with its
``preview``. State-changing posts answer 303 back to the page with a flash message; htmx
follows the redirect and swaps the block.

One module per area, each with its own router; ``pages`` combines them in the order the
routes were first registered (kept so that paths which could collide resolve as before):

- exercises: the exercise list, an exercise, the rubric reference, starting an attempt
- overview: a run's overview, moving the clock, spending on paid channels
- prospects: prospect search, a prospect's profile, booking a meeting
- saved: saved searches (save, delete)
- lists: lead lists
- compose: the composer, its live preview, message templates
- sequences: follow-up sequences
- inbox: the inbox and the activity log
- calls: discovery calls, notes, qualification
- conversation: live calls (dial, say a turn, hang up) with the transcript
- meetings: preparing a booked meeting (a reminder, a confirmed agenda)
- pipeline: the pipeline board and stage moves
- hand_in: the hand-in page and grading the deliverable (built by deliverables)
- grades: the grade page and the debrief

Shared, without routes: workspace (the run, its header and tabs, rendering), run_post (a
form posted to a run and acting on it), forms (fields, keys, redirects), attempts (scores
per attempt), describe (events as activity lines), evidence (a grade's evidence and
highlighted text), deliverables (the hand-in form as the grader's submission);
leadworks.practice.present holds labels and formatting.
"""

from __future__ import annotations

from leadworks.core.csrf import page_router
from leadworks.practice.views import (
    calls,
    compose,
    conversation,
    exercises,
    grades,
    hand_in,
    inbox,
    lists,
    meetings,
    overview,
    pipeline,
    prospects,
    saved,
    sequences,
)
from leadworks.practice.views.evidence import field_text, highlight

__all__ = ["field_text", "highlight", "pages"]

pages = page_router("/sandbox")
for _area in (
    exercises,
    overview,
    prospects,
    saved,
    lists,
    compose,
    sequences,
    inbox,
    calls,
    conversation,
    meetings,
    pipeline,
    hand_in,
    grades,
):
    pages.include_router(_area.router)
