/*
 * Leadworks quiz grading: the rules of the grader's "quiz" kind (grader/quiz.py), for
 * instant feedback in the page. Pure functions, no DOM, so tests run them in Node against
 * the table in tests/course/quiz_grading_cases.json, which is also checked against the
 * grader itself. Each question is worth 1 point:
 *   single    1 when the chosen index equals `answer`, else 0
 *   multiple  max(0, (right options chosen - wrong options chosen) / number of right options)
 *   numeric   1 when |value - answer| <= tolerance (absolute), else 0; a string such as
 *             "12.5", "1,200", "2,5" (a decimal comma), "$25" or "40 %" is read as a number,
 *             as the grader does (grader/quiz.py, _read_numeric)
 *   text      1 when the value equals an accepted answer once both are reduced the way the
 *             grader's normalise() does: lower case, words only (hyphens, spaces and
 *             punctuation dropped), no articles, plural endings removed; else 0
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

  var ARTICLES = { a: true, an: true, the: true };

  function singular(word) {
    if (word.length > 3 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 3 && /s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function normaliseText(value) {
    var text = String(value).toLowerCase().replace(/\u2019/g, "'").replace(/'s/g, "");
    var words = text.match(/[\p{L}\p{N}]+/gu) || [];
    return words.filter(function (w) { return !ARTICLES[w]; }).map(singular).join("");
  }

  var NUMBER_TEXT = /^[^\d+\-.,]*([+-]?(?:\d{1,3}(?:[ ,.]\d{3})+|\d+)(?:[.,]\d+)?|[+-]?[.,]\d+)[^\d]*$/;

  /* "1,200" -> "1200", "2,5" -> "2.5", "1.200,5" -> "1200.5", "1 200" -> "1200". */
  function plainNumber(raw) {
    raw = raw.replace(/ /g, "");
    var last = Math.max(raw.lastIndexOf(","), raw.lastIndexOf("."));
    if (last < 0) return raw;
    var head = raw.slice(0, last), sep = raw[last], tail = raw.slice(last + 1);
    var other = sep === "," ? "." : ",";
    if (head.indexOf(other) !== -1) return head.split(other).join("").split(sep).join("") + "." + tail;
    if (head.indexOf(sep) !== -1) return head.split(sep).join("") + tail;
    var whole = head.replace(/^[+-]/, "");
    if (sep === "," && tail.length === 3 && whole !== "" && whole !== "0") return head + tail;
    return (head || "0") + "." + tail;
  }

  function readNumber(value) {
    if (typeof value === "string") {
      var text = value.trim();
      var match = text.length <= 40 ? NUMBER_TEXT.exec(text) : null;
      if (!match) return null;
      value = Number(plainNumber(match[1]));
    }
    return typeof value === "number" && isFinite(value) && Math.abs(value) <= 1e12 ? value : null;
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
