// A section's form is declared multipart, so that evidence files go with the answers. When no
// file is chosen, it is posted urlencoded instead: the same fields, which Django parses several
// times faster (its multipart parser reads every field as a part of its own; bench/pages.py,
// save-20 against save-20-multipart). A body that would be larger urlencoded than the server
// takes (data-plain-limit, DATA_UPLOAD_MAX_MEMORY_SIZE: urlencoding triples non-ASCII text)
// stays multipart. Without this script the form posts multipart, which the server reads too.
// Kept in a file of its own: the Content Security Policy forbids inline script.
(function () {
  "use strict";
  var PLAIN = "application/x-www-form-urlencoded";
  var MULTIPART = "multipart/form-data";

  function hasFile(form) {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        return true;
      }
    }
    return false;
  }

  function plainSize(form, submitter) {
    // The body as the browser would send it urlencoded; the button's name and value included.
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value || "");
    }
    var body = new URLSearchParams(data).toString();
    // Submission sends a line break as CR LF, which FormData may still hold as LF alone: count
    // three more bytes for each, so that the estimate is never short.
    return body.length + 3 * (body.split("%0A").length - 1);
  }

  document.querySelectorAll("form[data-plain-limit]").forEach(function (form) {
    var limit = Number(form.dataset.plainLimit);
    // The encoding is read after the submit event, so setting it here applies to this post;
    // it is set both ways, as a page restored from the back/forward cache keeps the last one.
    form.addEventListener("submit", function (event) {
      var plain = !hasFile(form) && plainSize(form, event.submitter) <= limit;
      form.enctype = plain ? PLAIN : MULTIPART;
    });
  });
})();
