/*
 * Leadworks quiz grading: the rules of the grader's "quiz" kind (grader/quiz.py), for
 * instant feedback in the page. Pure functions, no DOM, so tests run them in Node against
 * the table in tests/course/quiz_grading_cases.json, which is also checked against the
 * grader itself. Each question is worth 1 point:
 *   single    1 when the chosen index equals `answer`, else 0
 *   multiple  max(0, (right options chosen - wrong options chosen) / number of right options)
 *   numeric   1 when |value - answer| <= tolerance (absolute), else 0; a string such as
 *             "12.5", "1,200" or "40%" is read as a number, as the grader does
 *   text      1 when the value equals an accepted answer once both are lower-cased, stripped
 *             of all whitespace and of punctuation at either end, else 0
 * Each question's points are rounded to 2 decimals, then added up (and rounded again);
 * possible = number of questions. A missing value scores 0 and counts as not answered; so
 * does a malformed one, which the server would refuse instead.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.LeadworksQuizGrading = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var EPSILON = 1e-9;

  /* Python's round(x, 2): halves go to the even neighbour (round(0.125, 2) == 0.12). */
  function round2(x) {
    var scaled = x * 100;
    var nearest = Math.round(scaled);
    if (Math.abs(scaled % 1) === 0.5 && nearest % 2 !== 0) nearest -= 1;
    return nearest / 100;
  }

  function isIndexInto(options) {
    return function (value) {
      return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < options.length;
    };
  }

  var END_PUNCTUATION = /^[.,;:!?"'\u201c\u201d\u2018\u2019]+|[.,;:!?"'\u201c\u201d\u2018\u2019]+$/g;

  function normaliseText(value) {
    return String(value).toLowerCase().replace(/\s+/g, "").replace(END_PUNCTUATION, "");
  }

  function readNumber(value) {
    if (typeof value === "string") {
      var cleaned = value.trim().replace(/%+$/, "").split(",").join("").trim();
      if (cleaned === "") return null;
      value = Number(cleaned);
    }
    return typeof value === "number" && isFinite(value) ? value : null;
  }

  function result(score, answered) {
    var points = round2(score);
    return { score: points, correct: points === 1, answered: answered };
  }

  function gradeQuestion(question, value) {
    if (value === undefined || value === null) {
      return result(0, false);
    }
    switch (question.type) {
      case "single":
        if (!isIndexInto(question.options)(value)) return result(0, false);
        return result(value === question.answer ? 1 : 0, true);
      case "multiple": {
        if (!Array.isArray(value) || !value.every(isIndexInto(question.options))) return result(0, false);
        var chosen = value.filter(function (x, i) { return value.indexOf(x) === i; });
        if (chosen.length === 0) return result(0, false);
        var right = chosen.filter(function (x) { return question.answer.indexOf(x) !== -1; }).length;
        var wrong = chosen.length - right;
        return result(Math.max(0, (right - wrong) / question.answer.length), true);
      }
      case "numeric": {
        var number = readNumber(value);
        if (number === null) return result(0, false);
        return result(Math.abs(number - question.answer) <= (question.tolerance || 0) + EPSILON ? 1 : 0, true);
      }
      case "text": {
        if (typeof value !== "string" || value.trim() === "") return result(0, false);
        var given = normaliseText(value);
        var match = question.answer.some(function (accepted) { return normaliseText(accepted) === given; });
        return result(match ? 1 : 0, true);
      }
      default:
        throw new Error("unknown question type " + question.type);
    }
  }

  function gradeQuiz(quiz, answers) {
    var byQuestion = {};
    var total = 0;
    quiz.questions.forEach(function (question) {
      var value = answers ? answers[question.id] : undefined;
      var graded = gradeQuestion(question, value);
      byQuestion[question.id] = graded;
      total += graded.score;
    });
    return { score: round2(total), possible: quiz.questions.length, questions: byQuestion };
  }

  /* The right answer in words, for feedback ("Mobile phone number", "12.5", "CPL"). */
  function describeAnswer(question) {
    switch (question.type) {
      case "single":
        return question.options[question.answer];
      case "multiple":
        return question.answer.map(function (i) { return question.options[i]; }).join("; ");
      case "numeric":
        return question.tolerance ? question.answer + " (± " + question.tolerance + ")" : String(question.answer);
      default:
        return question.answer[0];
    }
  }

  return {
    gradeQuestion: gradeQuestion,
    gradeQuiz: gradeQuiz,
    describeAnswer: describeAnswer,
    normaliseText: normaliseText
  };
});
