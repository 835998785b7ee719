/*
 * Leadworks course pages: instant quiz feedback for everyone, and, for a signed-in learner,
 * recorded quiz results, "Mark complete" and the lesson's status.
 *
 * The progress endpoints (team/CONTRACTS.md) are served by the app on the same origin:
 *   GET  /learn/session                  {authenticated, name, role, csrf_token}
 *   GET  /learn/lessons/{id}             {lesson_id, completed, completed_at, quiz}
 *   POST /learn/lessons/{id}/complete    same shape       (X-CSRF-Token header)
 *   POST /learn/lessons/{id}/quiz        Grade.to_dict() + recorded   (X-CSRF-Token header)
 * When they fail (a plain static site), the progress UI stays hidden and the quiz still
 * gives instant feedback. Material calls us again after each instant page change
 * (document$), so every init is idempotent.
 */
(function () {
  "use strict";

  var LEARN_API = "/learn";
  var grading = window.LeadworksQuizGrading;
  var session = null; // a promise of the signed-in session, or of null

  function requestJSON(url, options) {
    var init = options || {};
    init.credentials = "same-origin";
    init.headers = Object.assign({ Accept: "application/json" }, init.headers || {});
    return fetch(url, init).then(function (response) {
      if (!response.ok) throw new Error(url + " answered " + response.status);
      return response.json();
    });
  }

  function postJSON(url, csrfToken, body) {
    return requestJSON(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
      body: JSON.stringify(body || {})
    });
  }

  function getSession() {
    if (!session) {
      session = requestJSON(LEARN_API + "/session")
        .then(function (data) { return data && data.authenticated === true ? data : null; })
        .catch(function () { return null; });
    }
    return session;
  }

  function lessonUrl(lessonId, action) {
    return LEARN_API + "/lessons/" + encodeURIComponent(lessonId) + (action ? "/" + action : "");
  }

  function formatScore(score, possible) {
    return score + " of " + possible;
  }

  /* ------------------------------------------------------------------ quiz */

  function readAnswers(form, quiz) {
    var answers = {};
    quiz.questions.forEach(function (question) {
      var fieldset = form.querySelector('[data-question-id="' + question.id + '"]');
      if (!fieldset) return;
      if (question.type === "single") {
        var chosen = fieldset.querySelector("input:checked");
        if (chosen) answers[question.id] = Number(chosen.value);
      } else if (question.type === "multiple") {
        var values = [];
        fieldset.querySelectorAll("input:checked").forEach(function (input) {
          values.push(Number(input.value));
        });
        if (values.length) answers[question.id] = values;
      } else {
        var raw = fieldset.querySelector("input").value.trim();
        if (raw === "") return;
        if (question.type === "numeric") {
          var number = Number(raw); // a number input's value is "" unless it is a valid number
          if (isFinite(number)) answers[question.id] = number;
        } else {
          answers[question.id] = raw;
        }
      }
    });
    return answers;
  }

  function showFeedback(fieldset, question, graded) {
    var box = fieldset.querySelector(".lw-question__feedback");
    var verdict;
    if (!graded.answered) verdict = "Not answered.";
    else if (graded.correct) verdict = "Correct.";
    else if (graded.score > 0) verdict = "Partly right (" + Math.round(graded.score * 100) + "%).";
    else verdict = "Not quite.";
    box.textContent = "";
    var head = document.createElement("p");
    head.className = "lw-question__verdict";
    head.textContent = verdict;
    box.appendChild(head);
    if (!graded.correct) {
      var answer = document.createElement("p");
      answer.textContent = "Answer: " + grading.describeAnswer(question);
      box.appendChild(answer);
    }
    var why = document.createElement("p");
    why.textContent = question.explanation;
    box.appendChild(why);
    fieldset.classList.remove("lw-question--right", "lw-question--partly", "lw-question--wrong");
    fieldset.classList.add(
      graded.correct ? "lw-question--right" : graded.score > 0 ? "lw-question--partly" : "lw-question--wrong"
    );
    box.hidden = false;
  }

  function clearFeedback(form) {
    form.querySelectorAll(".lw-question").forEach(function (fieldset) {
      fieldset.classList.remove("lw-question--right", "lw-question--partly", "lw-question--wrong");
      var box = fieldset.querySelector(".lw-question__feedback");
      box.hidden = true;
      box.textContent = "";
    });
    form.querySelector(".lw-quiz__result").textContent = "";
    var record = form.querySelector(".lw-quiz__record");
    record.hidden = true;
    record.textContent = "";
  }

  function recordAnswers(form, quiz, answers) {
    var record = form.querySelector(".lw-quiz__record");
    getSession().then(function (signedIn) {
      if (!signedIn) return;
      record.hidden = false;
      if (Object.keys(answers).length < quiz.questions.length) {
        record.textContent = "Answer every question to have your result recorded.";
        return;
      }
      record.textContent = "Recording your answers…";
      postJSON(lessonUrl(form.dataset.lessonId, "quiz"), signedIn.csrf_token, { answers: answers })
        .then(function (grade) {
          record.textContent = grade.recorded
            ? "Recorded: " + formatScore(grade.score, grade.possible) + ". See it under My progress."
            : "The server graded this as " + formatScore(grade.score, grade.possible) + " but did not record it.";
          refreshProgress();
        })
        .catch(function () {
          record.textContent = "Your result could not be recorded just now; the feedback above still stands.";
        });
    });
  }

  function initQuiz(form) {
    if (form.dataset.lwReady) return;
    form.dataset.lwReady = "true";
    var quiz;
    try {
      quiz = JSON.parse(form.dataset.quiz);
    } catch (error) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = readAnswers(form, quiz);
      var outcome = grading.gradeQuiz(quiz, answers);
      quiz.questions.forEach(function (question) {
        var fieldset = form.querySelector('[data-question-id="' + question.id + '"]');
        if (fieldset) showFeedback(fieldset, question, outcome.questions[question.id]);
      });
      form.querySelector(".lw-quiz__result").textContent =
        "You scored " + formatScore(outcome.score, outcome.possible) + ".";
      recordAnswers(form, quiz, answers);
    });
    form.addEventListener("reset", function () {
      clearFeedback(form);
    });
  }

  /* ------------------------------------------------------------------ progress */

  function renderProgress(widget, status) {
    var line = widget.querySelector(".lw-progress__status");
    var quizLine = widget.querySelector(".lw-progress__quiz");
    var button = widget.querySelector(".lw-progress__complete");
    if (status.completed) {
      var when = status.completed_at ? new Date(status.completed_at) : null;
      line.textContent =
        "Completed" + (when && !isNaN(when) ? " on " + when.toLocaleDateString() : "") + ".";
      button.disabled = true;
      button.textContent = "Completed";
    } else {
      line.textContent = "Not completed yet.";
      button.disabled = false;
      button.textContent = "Mark complete";
    }
    var q = status.quiz;
    quizLine.textContent = q
      ? "Knowledge check, best result: " + formatScore(q.score, q.possible) + " (" + q.attempts +
        (q.attempts === 1 ? " attempt)." : " attempts).")
      : "Knowledge check: not taken yet.";
  }

  function loadProgress(widget) {
    return getSession().then(function (signedIn) {
      if (!signedIn) {
        widget.hidden = true;
        return;
      }
      return requestJSON(lessonUrl(widget.dataset.lessonId))
        .then(function (status) {
          renderProgress(widget, status);
          widget.hidden = false;
        })
        .catch(function () {
          widget.hidden = true;
        });
    });
  }

  function refreshProgress() {
    document.querySelectorAll(".lw-progress").forEach(loadProgress);
  }

  function initProgress(widget) {
    if (widget.dataset.lwReady) return;
    widget.dataset.lwReady = "true";
    var button = widget.querySelector(".lw-progress__complete");
    button.addEventListener("click", function () {
      getSession().then(function (signedIn) {
        if (!signedIn) return;
        button.disabled = true;
        postJSON(lessonUrl(widget.dataset.lessonId, "complete"), signedIn.csrf_token)
          .then(function (status) { renderProgress(widget, status); })
          .catch(function () {
            button.disabled = false;
            widget.querySelector(".lw-progress__status").textContent =
              "Could not save that just now. Please try again.";
          });
      });
    });
    loadProgress(widget);
  }

  /* ------------------------------------------------------------------ start */

  function initPage() {
    if (!grading) return;
    document.querySelectorAll("form.lw-quiz").forEach(initQuiz);
    document.querySelectorAll(".lw-progress").forEach(initProgress);
    getSession().then(function (signedIn) {
      if (!signedIn) return;
      document.querySelectorAll(".lw-quiz__intro").forEach(function (intro) {
        if (intro.dataset.lwSigned) return;
        intro.dataset.lwSigned = "true";
        intro.textContent += " You are signed in" + (signedIn.name ? " as " + signedIn.name : "") +
          ": your answers are recorded when you answer every question.";
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(initPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initPage);
  } else {
    initPage();
  }
})();
