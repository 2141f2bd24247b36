// The article page's "Log claim" button follows the text selection: its link carries the
// selection's character offsets in the article's text (counted in code points, as Python
// counts them, so a quote after an emoji still lines up).
(function () {
  "use strict";
  const text = document.getElementById("article-text");
  const button = document.getElementById("log-claim");
  const hint = document.getElementById("log-claim-hint");
  if (!text || !button) return;

  function offsetIn(node, offset) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function selection() {
    const picked = window.getSelection();
    if (!picked.rangeCount || picked.isCollapsed) return null;
    const range = picked.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const start = offsetIn(range.startContainer, range.startOffset);
    const end = offsetIn(range.endContainer, range.endOffset);
    return end > start ? { start: start, end: end } : null;
  }

  function update() {
    const span = selection();
    if (span) {
      button.href = button.dataset.base + "?start=" + span.start + "&end=" + span.end;
      button.setAttribute("aria-disabled", "false");
      hint.textContent = (span.end - span.start) + " characters selected.";
    } else {
      button.setAttribute("aria-disabled", "true");
      hint.textContent = "Select the passage that makes the claim, then Log claim.";
    }
  }

  document.addEventListener("selectionchange", update);
  update();  // a selection made while the page was still loading
  button.addEventListener("click", function (event) {
    if (button.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      hint.textContent = "First select the passage in the article's text.";
    }
  });
})();
