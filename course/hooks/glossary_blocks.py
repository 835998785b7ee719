"""The glossary in the built site: the Glossary page and the lessons' glossary markers.

Why generated, not hand-written: ``course/glossary.yaml`` is the one definition of each term.
The page and every lesson's ``## Key terms`` bullets are rendered from it, so a definition
changed there changes everywhere at once. Pure functions from data to Markdown, so tests can
read what a page will contain without running mkdocs.
"""

from __future__ import annotations

import posixpath
import re

from course.glossary import MARKER_RE, Glossary, Term

PAGE_URI = "glossary.md"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def glossary_href(src_uri: str) -> str:
    """The relative link from a page (``06-outreach/cold-email.md``) to the glossary page."""
    return posixpath.relpath(PAGE_URI, posixpath.dirname(src_uri) or ".")


def term_bullet(term: Term, href: str) -> str:
    return f"- **{term.term}**: {_one_line(term.definition)} ([glossary]({href}#{term.id}))"


def formula_line(term: Term) -> str:
    return f"> **{term.term}** = {_one_line(term.formula or '')}"


def expand_markers(markdown: str, glossary: Glossary, *, src_uri: str) -> str:
    """Replace each ``<!-- glossary: a, b -->`` and ``<!-- formula: a -->`` by its text."""
    href = glossary_href(src_uri)

    def replace(match: re.Match[str]) -> str:
        kind, ids = match.group(1), [x.strip() for x in match.group(2).split(",") if x.strip()]
        terms = [glossary.term(term_id) for term_id in ids if term_id in glossary.ids()]
        if kind == "formula":
            return "\n\n".join(formula_line(term) for term in terms if term.formula)
        return "\n".join(term_bullet(term, href) for term in terms)

    return MARKER_RE.sub(replace, markdown)


def page_markdown(glossary: Glossary) -> str:
    """The Glossary page: every term in alphabetical order, with formula, note and links."""
    lines = [
        "---",
        "title: Glossary",
        "description: One definition of each term the course uses.",
        "---",
        "",
        "# Glossary",
        "",
        "Every lesson uses these definitions, and the practice sandbox computes its figures",
        "the same way. Where teams you work with define a term differently, ask which",
        "definition their reports use and say which one you used.",
        "",
    ]
    for term in sorted(glossary.terms, key=lambda t: t.term.casefold()):
        lines += [f"## {term.term} {{#{term.id}}}", "", _one_line(term.definition), ""]
        if term.aliases:
            lines += [f"*Also called:* {', '.join(term.aliases)}.", ""]
        if term.formula:
            lines += [formula_line(term), ""]
        if term.note:
            lines += [_one_line(term.note), ""]
        if term.used_by:
            lines += ["The sandbox and the report grader compute this figure this way.", ""]
        if term.see:
            links = ", ".join(f"[{glossary.term(other).term}](#{other})" for other in term.see)
            lines += [f"See also: {links}.", ""]
    return "\n".join(lines)
