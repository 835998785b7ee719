// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("click", (event) => {
  const back = event.target.closest("[data-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
  const confirmTarget = event.target.closest("[data-confirm]");
  if (confirmTarget && !window.confirm(confirmTarget.dataset.confirm)) {
    event.preventDefault();
  }
});

// Every htmx request carries a fresh idempotency key so a retried click is applied once.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get" && !event.detail.headers["Idempotency-Key"]) {
    event.detail.headers["Idempotency-Key"] = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
});

// Show server-side error messages returned to htmx requests instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  let message = "Something went wrong (" + xhr.status + ").";
  try {
    const body = JSON.parse(xhr.responseText);
    if (body.detail) message = body.detail;
  } catch (_) {
    const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    const lead = doc.querySelector(".error-card .lead, .alert-error");
    if (lead) message = lead.textContent.trim();
  }
  let box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("div");
    box.id = "htmx-error";
    box.className = "alert alert-error toast";
    box.setAttribute("role", "alert");
    document.body.appendChild(box);
  }
  box.textContent = message;
  clearTimeout(box._timer);
  box._timer = setTimeout(() => box.remove(), 6000);
});

// Keep keyboard focus across htmx swaps (WCAG 2.4.3). Before a swap, remember what had
// focus: its id, or the record it belongs to ([data-contact]) and its name; afterwards
// focus the same control, else the moved card's next move button, else the swapped
// region itself (made focusable), never the page body.
let focusMemory = null;
document.addEventListener("htmx:beforeSwap", () => {
  const active = document.activeElement;
  if (!active || active === document.body) { focusMemory = null; return; }
  const record = active.closest("[data-contact]");
  focusMemory = {
    id: active.id || null,
    contact: record ? record.dataset.contact : null,
    name: active.getAttribute("name"),
  };
});
document.addEventListener("htmx:afterSettle", (event) => {
  if (!focusMemory) return;
  const memory = focusMemory;
  focusMemory = null;
  if (document.activeElement && document.activeElement !== document.body) return;
  let next = memory.id ? document.getElementById(memory.id) : null;
  if (!next && memory.contact) {
    const card = document.querySelector(`[data-contact="${CSS.escape(memory.contact)}"]`);
    if (card) {
      next = (memory.name && card.querySelector(`[name="${CSS.escape(memory.name)}"]`))
        || card.querySelector("button, a, [tabindex]");
      if (!next) { card.setAttribute("tabindex", "-1"); next = card; }
    }
  }
  if (!next) {
    next = event.detail.target;
    if (next && !next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
  }
  if (next) next.focus({ preventScroll: false });
});

// Simulated instants in the learner's own time zone, beside the prospect's and UTC.
function showYourTime(root) {
  const format = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    hour12: false, timeZoneName: "short",
  });
  for (const el of root.querySelectorAll("time.your-time[datetime]")) {
    const moment = new Date(el.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) el.textContent = format.format(moment);
  }
}
document.addEventListener("DOMContentLoaded", () => showYourTime(document));
document.addEventListener("htmx:afterSwap", (event) => showYourTime(event.target));
