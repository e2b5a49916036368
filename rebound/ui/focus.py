"""Keyboard focus after a save: back in the form, not on the page's <body>.

A save reruns the script (often twice: the save, then st.rerun() to show its message), and
Streamlit rebuilds the button that had focus, so the browser drops focus to <body>: a keyboard or
screen-reader user starts again from the top of the page. This script, installed once per page,
remembers the form (or button) a click or an Enter submitted and, once the runs are over and
focus is still on <body>, puts it on that form's first field (ready for the next entry), else on
the same button, else on the page's heading. It never takes focus from anything the user chose.
"""

from __future__ import annotations

import streamlit as st

KEEP_FOCUS = r"""<script>
if (!window.reboundKeepsFocus) {
  window.reboundKeepsFocus = true;
  const FIELDS = "input:not([type=hidden]):not([disabled]), textarea:not([disabled])";
  const keyOf = el => (el && [...el.classList].find(c => c.startsWith("st-key-"))) || null;
  const forms = () => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stForm']")];
  let wanted = null;
  // A form is known again by its submit button's words (a form has no key class of its own).
  const submitText = form => {
    const submit = form && form.querySelector("[data-testid='stFormSubmitButton'] button");
    return submit ? submit.textContent.trim() : null;
  };
  const remember = (target) => {
    const main = target.closest && target.closest("[data-testid='stMain']");
    if (!main) return;
    const form = target.closest("[data-testid='stForm']");
    const holder = target.closest("[class*='st-key-']");
    wanted = {form: submitText(form), button: keyOf(holder), at: Date.now()};
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button");
    if (button) remember(button);
  }, true);
  document.addEventListener("pointerdown", (event) => {  // the user put focus somewhere else: leave it
    if (!(event.target.closest && event.target.closest("button"))) wanted = null;
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest && event.target.closest("[data-testid='stForm']")) {
      remember(event.target);
    }
  }, true);
  const lost = () => !document.activeElement || document.activeElement === document.body;
  const restore = () => {
    if (!wanted || Date.now() - wanted.at > 15000) { wanted = null; return; }
    if (!lost()) return;
    const form = wanted.form && forms().find(f => submitText(f) === wanted.form);
    const field = form && [...form.querySelectorAll(FIELDS)].find(el => el.offsetParent !== null);
    if (field) { field.focus(); return; }
    const button = wanted.button && document.querySelector("[data-testid='stMain'] ." + wanted.button + " button");
    if (button && !button.disabled) { button.focus(); return; }
    const heading = document.querySelector("[data-testid='stMain'] h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({preventScroll: true}); }
  };
  const app = document.querySelector("[data-testid='stApp']");
  if (app) new MutationObserver(() => {
    if (app.getAttribute("data-test-script-state") === "notRunning") setTimeout(restore, 150);
  }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  document.addEventListener("focusout", (event) => {
    if (wanted && !event.relatedTarget) setTimeout(restore, 150);
  }, true);
}
</script>"""


def keep_focus_after_save() -> None:
    """Install the script (our own fixed text, no user text); a page that has it keeps it."""
    st.html(KEEP_FOCUS, unsafe_allow_javascript=True, width="content")
