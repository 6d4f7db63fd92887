// Keyboard help for the phone intake page; every action also works as a plain form without this script.
(function () {
  "use strict";
  var answer = function () { return document.getElementById("answer") || document.getElementById("verify-confirm"); };
  document.addEventListener("keydown", function (event) {
    // Esc in the policy look-up goes back to the caller's answer
    if (event.key === "Escape" && event.target && event.target.id === "kb-q") {
      var field = answer();
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
