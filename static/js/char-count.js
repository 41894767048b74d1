// A live character count under each justification ("1,234 / 5,000"), so that a long text or a
// paste is never cut without a word: the page sets no maxlength, and a text over the limit is
// refused by the server with its count. Kept in a file of its own: the Content Security Policy
// forbids inline script. Line breaks count as one character, as the server counts them.
// The words come from the form's data-count-* attributes (whole sentences with placeholders).
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || "en");

  function length(text) {
    // Code points, as Python counts them (a string's length in JavaScript counts UTF-16 units).
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? format.format(values[name]) : match;
    });
  }

  document.querySelectorAll("form[data-count-text]").forEach(function (form) {
    var words = form.dataset;
    form.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var counter = document.getElementById(area.getAttribute("data-counter"));
      var text = counter && counter.querySelector("[data-count-text]");
      if (!text) {
        return;
      }
      var limit = parseInt(counter.getAttribute("data-limit"), 10);
      // Screen readers hear the count when typing pauses, not on every key.
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("aria-live", "polite");
      counter.appendChild(status);
      var timer = null;

      function show() {
        var count = length(area.value);
        var values = { count: count, limit: limit, over: count - limit, left: limit - count };
        var over = count > limit;
        text.textContent = fill(over ? words.countOver : words.countText, values);
        counter.classList.toggle("text-danger", over);
        counter.classList.toggle("fw-semibold", over);
        return values;
      }

      area.addEventListener("input", function () {
        var values = show();
        clearTimeout(timer);
        timer = setTimeout(function () {
          status.textContent = fill(values.over > 0 ? words.countTooMany : words.countLeft, values);
        }, 1000);
      });
      show();
    });
  });
})();
