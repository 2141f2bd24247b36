// Review queue keys: j/k move between items, a accepts and r rejects the focused one,
// x selects it for a bulk action.
(function () {
  function items() { return Array.from(document.querySelectorAll(".review-item:not(.done)")); }
  function move(step) {
    const list = items();
    if (!list.length) return;
    const at = list.indexOf(document.activeElement.closest(".review-item"));
    const next = list[Math.min(list.length - 1, Math.max(0, at + step))] || list[0];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function decide(kind) {
    const item = document.activeElement.closest(".review-item");
    const button = item && item.querySelector("button." + kind);
    if (button) button.click();
  }
  function toggle() {
    const item = document.activeElement.closest(".review-item");
    const box = item && item.querySelector("input[name=evidence]");
    if (box) box.checked = !box.checked;
  }
  const all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(".review-item:not(.done) input[name=evidence]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.target.matches("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = { j: () => move(1), k: () => move(-1), a: () => decide("accept"), r: () => decide("reject"), x: toggle };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });
  document.body.addEventListener("htmx:afterSwap", function () { move(0); });
})();
