"""``python -m grader.language --check``: load the language layer once and say what it is.

The Makefile runs it after every install, so a missing or broken model stops the install
with a clear message instead of surfacing later as a grading fault.
"""

from __future__ import annotations

import sys

from grader.language import LanguageModelMissing, language


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--check"]):
        print("usage: python -m grader.language [--check]", file=sys.stderr)
        return 2
    try:
        lang = language()
    except LanguageModelMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    parsed = lang.parse("Congrats on opening the new clinic in Leeds.")
    assert parsed.tokens, "the English model parsed nothing"
    print(f"grader language layer ready: {', '.join(f'{k} {v}' for k, v in lang.versions.items())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
