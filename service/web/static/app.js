// Practice Commons: small enhancements on top of pages that work without JavaScript.
// Kept in this file (no inline scripts or handlers) so a strict Content-Security-Policy works.
"use strict";

(function () {
  collapseFiltersOnPhones();
  focusResults();
  focusOutcome();
  var form = document.getElementById("upload-form");
  if (form) enhanceUpload(form);
  suggestEachTag(document.getElementById("tags"), document.getElementById("tag-suggestions"));

  // The tags field holds a list: suggest the hub's tags for the word being typed after the
  // last comma, keeping the ones before it (a datalist alone only completes the whole field).
  function suggestEachTag(field, list) {
    if (!field || !list) return;
    var known = Array.prototype.map.call(list.options, function (o) { return o.value; });
    field.addEventListener("input", function () {
      var cut = field.value.lastIndexOf(",");
      var before = cut < 0 ? "" : field.value.slice(0, cut + 1) + " ";
      var typed = field.value.slice(cut + 1).trim().toLowerCase().replace(/[\s_]+/g, "-");
      var chosen = before.split(",").map(function (t) { return t.trim(); });
      list.textContent = "";
      known.filter(function (t) {
        return t.indexOf(typed) === 0 && chosen.indexOf(t) < 0;
      }).slice(0, 20).forEach(function (t) {
        var option = document.createElement("option");
        option.value = before + t;
        list.appendChild(option);
      });
    });
  }

  // On a phone the filters sit above the results: fold them away unless some are in use.
  function collapseFiltersOnPhones() {
    var panel = document.getElementById("filters-panel");
    if (panel && !panel.hasAttribute("data-active") &&
        window.matchMedia("(max-width: 48rem)").matches) {
      panel.open = false;
    }
  }

  // After a search, start where the answers are: focus (and so screen readers) land on the
  // results, not at the top of the filters.
  // A form's outcome (e.g. a tag merge) takes focus, so it is seen and announced.
  function focusOutcome() {
    var outcome = document.querySelector("[data-focus]");
    if (outcome) outcome.focus();
  }

  function focusResults() {
    var results = document.getElementById("results");
    if (results && new URLSearchParams(window.location.search).get("q") && !window.location.hash) {
      results.focus();
    }
  }

  function enhanceUpload(form) {
    var input = document.getElementById("file");
    var zone = document.getElementById("dropzone");
    var chosen = document.getElementById("file-chosen");
    var errorBox = document.getElementById("upload-error");
    var choice = document.getElementById("upload-choice");
    var status = document.getElementById("upload-status");
    var progressArea = document.getElementById("upload-progress-area");
    var bar = document.getElementById("upload-progress");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = Number(form.getAttribute("data-max-bytes")) || Infinity;

    Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
      el.hidden = false;
    });

    input.addEventListener("change", function () {
      clearMessages();
      var file = input.files && input.files[0];
      chosen.hidden = !file;
      chosen.textContent = file ? "Selected: " + file.name + " (" + sizeLabel(file.size) + ")" : "";
      if (file) prefill(file);
    });

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) {
        input.files = files;
        input.dispatchEvent(new Event("change"));
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearMessages();
      var file = input.files && input.files[0];
      if (!file) {
        showError("Choose a file to upload.");
        input.focus();
        return;
      }
      if (file.size > maxBytes) {
        showError("'" + file.name + "' is " + sizeLabel(file.size) + "; the limit is " +
                  sizeLabel(maxBytes) + ".");
        return;
      }
      var data = new FormData(form);
      var token = String(data.get("token") || "").trim();
      data.delete("token");
      data.delete("csrf_token"); // sent as a header instead
      Array.from(data.entries()).forEach(function (entry) {
        if (typeof entry[1] === "string" && !entry[1].trim()) data.delete(entry[0]);
      });
      send(data, token);
    });

    // A personal-data refusal: the same upload again, redacted or (once confirmed) as it is.
    document.getElementById("upload-redact").addEventListener("click", function () {
      resend("redact");
    });
    document.getElementById("upload-keep").addEventListener("click", function () {
      if (window.confirm("Keep the personal data as it is? Everyone who may see this " +
                         "document will see it, and search will find it.")) {
        resend("keep");
      }
    });

    function resend(decision) {
      form.elements.namedItem("pii").value = decision;
      form.requestSubmit();
    }

    function send(data, token) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-api"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      if (token) xhr.setRequestHeader("Authorization", "Bearer " + token);
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        var percent = Math.round((event.loaded / event.total) * 100);
        bar.value = percent;
        say("Uploading… " + percent + "%");
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value"); // indeterminate while the server indexes
        say("Indexing: reading the file and making it searchable…");
      });
      xhr.addEventListener("load", function () {
        var body = parseJson(xhr.responseText);
        if (xhr.status === 200 || xhr.status === 201) {
          signedIn(token).then(function () { finished(body, Boolean(body && body.duplicate)); });
        } else if (xhr.status === 202 && body && body.id) {
          say("Large file: indexing in the background. You can keep this page open…");
          poll(body.id, token);
        } else if (body && body.code === "personal-data") {
          failed(personalDataText(body), true);
        } else {
          failed(detailText(body, xhr.status));
        }
      });
      xhr.addEventListener("error", function () {
        failed("The upload did not reach the server. Check the connection and try again.");
      });
      busy(true);
      bar.value = 0;
      say("Uploading…");
      xhr.send(data);
    }

    // A token typed into the form signs its holder in, as /login does (the form without
    // JavaScript does the same): a note visible only to its community is then theirs to open.
    function signedIn(token) {
      if (!token) return Promise.resolve();
      var body = new URLSearchParams();
      body.set("token", token);
      body.set("csrf_token", csrfToken());
      return fetch("/login", { method: "POST", body: body, credentials: "same-origin",
                               redirect: "manual" }).catch(function () {});
    }

    function poll(jobId, token) {
      var headers = { Accept: "application/json" };
      if (token) headers.Authorization = "Bearer " + token;
      fetch("/api/jobs/" + encodeURIComponent(jobId), { headers: headers })
        .then(function (response) {
          return response.json().then(function (job) { return { ok: response.ok, job: job }; });
        })
        .then(function (answer) {
          var job = answer.job;
          if (!answer.ok) failed(detailText(job, 0));
          else if (job.status === "done" && job.document) {
            signedIn(token).then(function () { finished(job.document, false); });
          }
          else if (job.status === "failed") failed(job.reason || "Indexing failed.");
          else window.setTimeout(function () { poll(jobId, token); }, 1000);
        })
        .catch(function () {
          failed("Lost contact with the server while the file was being indexed.");
        });
    }

    function finished(doc, duplicate) {
      busy(false);
      progressArea.hidden = true;
      status.textContent = "";
      var link = document.createElement("a");
      link.href = "/documents/" + encodeURIComponent(doc.id);
      link.textContent = "Open “" + doc.title + "”";
      status.appendChild(document.createTextNode(
        duplicate ? "This file was already in the Commons. " : "Added and searchable now. "));
      status.appendChild(link);
      status.focus();
      form.elements.namedItem("pii").value = ""; // the next file gets its own choice
      input.value = "";
      chosen.hidden = true;
      clearPrefilled();
    }

    function failed(message, offerChoice) {
      busy(false);
      progressArea.hidden = true;
      status.textContent = "";
      showError(message);
      choice.hidden = !offerChoice;
    }

    function personalDataText(body) {
      var findings = (body.findings || []).slice(0, 10).join("; ");
      var name = input.files && input.files[0] ? "“" + input.files[0].name + "”" : "This file";
      return name + " contains personal data: " + findings + ". Redact it (replaced with " +
        "placeholders such as [phone removed]) or upload it as it is?";
    }

    function busy(on) {
      button.disabled = on;
      progressArea.hidden = !on;
    }

    function say(text) {
      status.textContent = text;
    }

    function showError(message) {
      errorBox.textContent = message;
      errorBox.hidden = false;
      errorBox.focus(); // beside the button, announced, and where the eye already is
    }

    function clearMessages() {
      errorBox.hidden = true;
      errorBox.textContent = "";
      choice.hidden = true;
      status.textContent = "";
    }

    // Nice to have: fill empty fields from Markdown front matter and a dated file name.
    function prefill(file) {
      clearPrefilled();
      var dated = /^(\d{4}-\d{2}-\d{2})[-_ ]/.exec(file.name);
      if (dated) fill("date", dated[1]);
      if (!/\.(md|markdown)$/i.test(file.name) || !file.slice(0, 1).text) return;
      file.slice(0, 16384).text().then(function (text) {
        var match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
        if (!match) return;
        match[1].split(/\r?\n/).forEach(function (line) {
          var pair = /^([a-z_]+):\s*(.*)$/.exec(line.trim());
          if (!pair) return;
          var value = pair[2].replace(/^\[(.*)\]$/, "$1").replace(/^["']|["']$/g, "").trim();
          if (["title", "community", "date", "tags", "authors", "kind"].indexOf(pair[1]) >= 0) {
            fill(pair[1], value.split(/\s*,\s*/).map(unquote).join(", "));
          }
        });
      });
    }

    function unquote(value) {
      return value.replace(/^["']|["']$/g, "");
    }

    function fill(name, value) {
      var field = form.elements.namedItem(name);
      if (!field || !value) return;
      if (field.tagName === "SELECT") {
        if (!Array.prototype.some.call(field.options, function (o) { return o.value === value; })) return;
      } else if (field.value) {
        return; // never overwrite what the person typed
      }
      field.value = value;
      field.setAttribute("data-prefilled", "");
    }

    function clearPrefilled() {
      Array.prototype.forEach.call(form.querySelectorAll("[data-prefilled]"), function (field) {
        field.removeAttribute("data-prefilled");
        if (field.tagName === "SELECT") {
          var initial = Array.prototype.findIndex.call(field.options, function (o) {
            return o.defaultSelected;
          });
          field.selectedIndex = Math.max(initial, 0);
        } else {
          field.value = "";
        }
      });
    }

    form.addEventListener("input", function (event) {
      if (event.target && event.target.removeAttribute) event.target.removeAttribute("data-prefilled");
    });
  }

  // The page's CSRF token: the hub refuses a signed-in browser's changes without it.
  function csrfToken() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.getAttribute("content") : "";
  }

  function sizeLabel(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1048576) return Math.round(bytes / 1024) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  // The API's {"detail": "..."}; validation errors come as a list of {loc, msg}.
  function detailText(body, statusCode) {
    var detail = body && body.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail.map(function (d) {
        var where = d.loc ? d.loc[d.loc.length - 1] : "";
        return (where ? where + ": " : "") + d.msg;
      }).join("; ");
    }
    return "The upload failed" + (statusCode ? " (HTTP " + statusCode + ")" : "") + ". Please try again.";
  }
})();
