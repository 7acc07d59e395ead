// 行业协会商会审查工作台: feedback on slow actions and the decision form's checks. No inline script anywhere
// (the pages' Content-Security-Policy allows scripts from this server only); the pages work without it too.
"use strict";

(function () {
  const busy = document.getElementById("busy");
  let timer = null;

  // The bar under the header: a message and the seconds elapsed.
  function showBusy(message) {
    if (!busy) return;
    busy.querySelector(".busy-text").textContent = message;
    const started = Date.now();
    const time = busy.querySelector(".busy-time");
    time.textContent = "";
    clearInterval(timer);
    timer = setInterval(function () {
      time.textContent = "已用 " + Math.round((Date.now() - started) / 1000) + " 秒";
    }, 1000);
    busy.hidden = false;
  }

  function reset() {
    clearInterval(timer);
    if (busy) busy.hidden = true;
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      delete form.dataset.sent;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        if (button.dataset.label) button.textContent = button.dataset.label;
      });
    });
  }

  // A form with data-busy: once sent, its buttons are disabled (no second submission) and progress shows.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.dataset.label = button.textContent;
        if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
        // disabled after the browser has read the form, so the submission itself is not affected
        setTimeout(function () { button.disabled = true; }, 0);
      });
      showBusy(form.dataset.busy);
    });
  });

  // A link with data-busy (the study page takes seconds the first time).
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      showBusy(link.dataset.busy);
    });
  });

  // Back/forward cache: a page shown again must not stay disabled.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) reset();
  });

  // The decision form: a join needs the association to join (required only then).
  const decision = document.getElementById("decision-form");
  if (decision) {
    const target = decision.querySelector("select[name=target_id]");
    const sync = function () {
      const chosen = decision.querySelector("input[name=decision]:checked");
      const join = chosen !== null && chosen.value === "join";
      target.required = join;
      target.closest("label").classList.toggle("needed", join);
    };
    decision.querySelectorAll("input[name=decision]").forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  }

  // A saved decision or an error: bring it into view.
  const notice = document.querySelector("[data-scroll]");
  if (notice) notice.scrollIntoView({ block: "center" });

  // Print buttons (the 审查意见书).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
