/* Ingestion review: marks in the article and cards in the side list point at
   each other. Clicking (or Enter on) a mark focuses its card; following a
   card's quote scrolls to its mark. After htmx swaps a card, the marks take
   its new status and focus goes to the form or the card. */
(function () {
  "use strict";
  var motion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  function marksOf(id) { return document.querySelectorAll('mark.fact[data-suggestion="' + id + '"]'); }
  function clearCurrent() {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
  }
  function showCard(id) {
    var card = document.getElementById("goi-y-" + id);
    if (!card) return;
    clearCurrent();
    card.classList.add("is-current");
    marksOf(id).forEach(function (m) { m.classList.add("is-current"); });
    card.scrollIntoView({ block: "nearest", behavior: motion });
    card.focus({ preventScroll: true });
  }
  function showMark(id) {
    var mark = document.getElementById("dk-" + id) || marksOf(id)[0];
    if (!mark) return false;
    clearCurrent();
    marksOf(id).forEach(function (m) { m.classList.add("is-current"); });
    var card = document.getElementById("goi-y-" + id);
    if (card) card.classList.add("is-current");
    mark.scrollIntoView({ block: "center", behavior: motion });
    mark.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-goto]");
    if (link) {
      if (showMark(link.getAttribute("data-goto"))) e.preventDefault();
      return;
    }
    var mark = e.target.closest("mark.fact");
    if (mark && !e.target.closest("a")) {
      // The innermost mark is the one clicked: nested facts each get their turn.
      showCard(mark.getAttribute("data-suggestion"));
    }
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches && e.target.matches("mark.fact")) {
      e.preventDefault();
      showCard(e.target.getAttribute("data-suggestion"));
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var card = e.detail && e.detail.target && e.detail.target.id && e.detail.target.id.indexOf("goi-y-") === 0
      ? document.getElementById(e.detail.target.id) : null;
    if (!card) return;
    var id = card.getAttribute("data-suggestion"), status = card.getAttribute("data-status");
    marksOf(id).forEach(function (m) {
      m.classList.remove("fact-pending", "fact-accepted", "fact-rejected");
      m.classList.add("fact-" + status);
    });
    var field = card.querySelector("form.sg-form input:not([type=hidden]), form.sg-form select, form.sg-form textarea");
    var invalid = card.querySelector('[aria-invalid="true"]');
    (invalid || field || card).focus();
  });
})();
