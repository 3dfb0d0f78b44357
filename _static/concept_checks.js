/* "Check your understanding" (see _ext/concept_checks.py): checks the reader's answer in the
   page, offline, and shows whether it is right and why. Plain form controls: Tab, the arrow keys,
   Space and Enter work as in any form. */
(function () {
  "use strict";
  function parseNumber(text) {
    var t = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (/^[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?$/.test(t)) return parseFloat(t.replace(",", "."));
    return NaN;
  }
  function show(item, state, message) {
    var feedback = item.querySelector(".cc-feedback");
    var explain = item.querySelector(".cc-explain");
    item.classList.remove("cc-right", "cc-wrong", "cc-empty");
    item.classList.add("cc-" + state);
    feedback.textContent = message;
    if (explain) explain.hidden = state === "empty";
  }
  function check(item) {
    if (item.dataset.kind === "choice") {
      var chosen = item.querySelector("input[type=radio]:checked");
      if (!chosen) return show(item, "empty", "Choose an answer first.");
      if (Number(chosen.value) === Number(item.dataset.answer)) return show(item, "right", "Correct.");
      return show(item, "wrong", "Not quite: that is not the answer. See why below.");
    }
    var input = item.querySelector("input[type=text]");
    var value = parseNumber(input.value);
    if (isNaN(value)) return show(item, "empty", "Type a number first (for example 0.25 or 1e-3).");
    var answer = Number(item.dataset.answer), tol = Number(item.dataset.tolerance);
    if (Math.abs(value - answer) <= tol) return show(item, "right", "Correct: " + answer + " (within " + tol + ").");
    return show(item, "wrong", "Not quite: " + value + " is off by more than " + tol + ". See why below.");
  }
  function init() {
    var items = document.querySelectorAll(".cc-item");
    Array.prototype.forEach.call(items, function (item) {
      var button = item.querySelector(".cc-check");
      button.addEventListener("click", function () { check(item); });
      var input = item.querySelector("input[type=text]");
      if (input) input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); check(item); }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
