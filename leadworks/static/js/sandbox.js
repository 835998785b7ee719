// Sandbox enhancements. Every page works without them; they make it faster to use.
(function () {
  "use strict";

  // Keep the sticky run header just under the site's top bar, whatever its height.
  function measureTopbar() {
    const bar = document.querySelector(".topbar");
    if (bar) document.documentElement.style.setProperty("--topbar-h", bar.offsetHeight + "px");
  }
  window.addEventListener("resize", measureTopbar);
  document.addEventListener("DOMContentLoaded", measureTopbar);

  // Merge-field chips insert {{field}} where the cursor was in the last text box used.
  let lastField = null;
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (el.matches && el.matches("#composer textarea, #composer input[name=subject]")) lastField = el;
  });
  document.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-insert]");
    if (!chip) return;
    event.preventDefault();
    const field = lastField && document.body.contains(lastField) ? lastField : document.getElementById("body");
    if (!field) return;
    const text = chip.dataset.insert;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.selectionStart = field.selectionEnd = start + text.length;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // The subject box only applies to email.
  document.addEventListener("change", (event) => {
    const radio = event.target;
    if (!radio.matches || !radio.matches("#composer input[name=channel]")) return;
    document.querySelectorAll("[data-channel-only]").forEach((el) => {
      el.hidden = el.dataset.channelOnly !== radio.value;
    });
  });

  // "Select page" ticks every result on the page.
  document.addEventListener("change", (event) => {
    const all = event.target.closest && event.target.closest("[data-select-all]");
    if (!all) return;
    const form = all.closest("form");
    form.querySelectorAll('input[name="' + all.dataset.selectAll + '"]').forEach((box) => {
      box.checked = all.checked;
    });
  });

  // A discovery call has room for a few questions: stop ticking at the limit.
  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest("form[data-max-checked]");
    if (!form) return;
    const max = Number(form.dataset.maxChecked);
    const boxes = Array.from(form.querySelectorAll('input[type=checkbox][name="questions"]'));
    const ticked = boxes.filter((b) => b.checked).length;
    boxes.forEach((b) => { if (!b.checked) b.disabled = ticked >= max; });
    const note = form.querySelector("[data-max-note]");
    if (note) note.textContent = ticked + " of " + max + " questions chosen.";
  });

  // Pipeline: drag a card onto a column to move it (the same form as its buttons).
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".deal[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.contact);
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    document.querySelectorAll(".board__col.is-target").forEach((c) => c.classList.remove("is-target"));
    dragged = null;
  });
  document.addEventListener("dragover", (event) => {
    const col = event.target.closest && event.target.closest(".board__col");
    if (!col || !dragged) return;
    event.preventDefault();
    col.classList.add("is-target");
  });
  document.addEventListener("dragleave", (event) => {
    const col = event.target.closest && event.target.closest(".board__col");
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("is-target");
  });
  document.addEventListener("drop", (event) => {
    const col = event.target.closest && event.target.closest(".board__col");
    if (!col || !dragged) return;
    event.preventDefault();
    const form = dragged.querySelector("form.deal__move");
    if (!form || col.contains(dragged)) return;
    let input = form.querySelector("input[data-drop-stage]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "stage";
      input.dataset.dropStage = "";
      form.appendChild(input);
    }
    input.value = col.dataset.stage;
    form.requestSubmit();
  });
})();
