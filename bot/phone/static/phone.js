// Keyboard help for the phone intake page; every action also works as a plain form without this script.
(function () {
  "use strict";
  var answerField = function () {
    return document.getElementById("answer") || document.getElementById("verify-confirm");
  };
  document.addEventListener("keydown", function (event) {
    if (event.isComposing) { return; }  // an input method is still composing a character
    // Alt+letter: the element marked with that shortcut (back, verify, policy look-up)
    if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      var target = document.querySelector('[data-shortcut="' + event.code + '"]');
      if (target) {
        event.preventDefault();
        if (target.tagName === "BUTTON") { target.click(); } else { target.focus(); target.select && target.select(); }
      }
      return;
    }
    // Esc in the policy look-up goes back to the caller's answer
    if (event.key === "Escape" && event.target && event.target.id === "kb-q") {
      var field = answerField();
      if (field) { event.preventDefault(); field.focus(); }
    }
  });
  // a form is sent once: a second Enter while the page loads must not answer the next question too
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "kb-form") { return; }
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
