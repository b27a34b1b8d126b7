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
  offerCopyLinks();
  focusPassage();

  // "Copy link" on each result: the document's full address, to paste into a message. Hidden
  // without JavaScript (the title is a link to the same address).
  function offerCopyLinks() {
    Array.prototype.forEach.call(document.querySelectorAll(".copy-link"), function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      var label = button.firstChild.textContent;
      button.addEventListener("click", function () {
        var address = new URL(button.getAttribute("data-href"), window.location.href).href;
        navigator.clipboard.writeText(address).then(function () {
          button.firstChild.textContent = "Link copied";
          setTimeout(function () { button.firstChild.textContent = label; }, 4000);
        }, function () {
          button.firstChild.textContent = "Could not copy; open the document instead";
        });
      });
    });
  }

  // A passage a search result linked to (its section or page is the address's anchor, so
  // without JavaScript the page opens there): bring the marked passage itself into view.
  function focusPassage() {
    var passage = document.getElementById("passage");
    if (!passage || !new URLSearchParams(window.location.search).get("passage")) return;
    // after the browser has gone to the address's anchor, which would move the view again
    if (document.readyState === "complete") passage.focus();
    else window.addEventListener("load", function () { passage.focus(); });
  }

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
    var folder = document.getElementById("folder");
    var zone = document.getElementById("dropzone");
    var chosen = document.getElementById("file-chosen");
    var manyHint = document.getElementById("many-hint");
    var title = document.getElementById("title");
    var titleHint = document.getElementById("title-hint");
    var titleHintText = titleHint.textContent;
    var errorBox = document.getElementById("upload-error");
    var choice = document.getElementById("upload-choice");
    var status = document.getElementById("upload-status");
    var progressArea = document.getElementById("upload-progress-area");
    var bar = document.getElementById("upload-progress");
    var list = document.getElementById("upload-list");
    var rows = list.tBodies[0];
    var button = form.querySelector("button[type=submit]");
    var maxBytes = Number(form.getAttribute("data-max-bytes")) || Infinity;
    var allowed = (input.getAttribute("accept") || "").split(",");
    var picked = []; // {file, path}: chosen, dropped or found in a folder
    var fromFolder = false;
    var running = false; // several files are being sent
    var line = Promise.resolve(); // one upload at a time, in the order asked for
    var signIns = {};
    // One file's progress and outcome shown in the form, as before there were rows.
    var single = {
      progress: function (percent, text) {
        if (percent === null) bar.removeAttribute("value"); // indeterminate while indexing
        else bar.value = percent;
        say(text);
      },
      added: finished,
      queued: function () {
        say("Large file: indexing in the background. You can keep this page open…");
      },
      refused: failed,
    };

    Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
      el.hidden = false;
    });

    input.addEventListener("change", function () {
      folder.value = "";
      clearMessages();
      pick(filesOf(input), false);
    });
    folder.addEventListener("change", function () {
      input.value = "";
      clearMessages();
      pick(filesOf(folder), true);
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
      var transfer = event.dataTransfer;
      var entries = Array.prototype.map.call((transfer && transfer.items) || [], function (item) {
        return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
      }).filter(Boolean);
      if (entries.some(function (entry) { return entry.isDirectory; })) {
        walk(entries).then(function (found) {
          input.value = "";
          folder.value = "";
          clearMessages();
          pick(found, true);
        });
      } else if (transfer && transfer.files && transfer.files.length) {
        input.files = transfer.files;
        input.dispatchEvent(new Event("change"));
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearMessages();
      if (!picked.length) {
        showError("Choose a file to upload.");
        input.focus();
        return;
      }
      if (several()) {
        uploadSeveral();
        return;
      }
      list.hidden = true;
      var file = picked[0].file;
      if (file.size > maxBytes) {
        showError(tooLarge(file));
        return;
      }
      busy(true);
      uploadOne(file, sharedFields(), tokenOf(), single);
    });

    // A personal-data refusal: the same upload again, redacted or (once confirmed) as it is.
    document.getElementById("upload-redact").addEventListener("click", function () {
      resend("redact");
    });
    document.getElementById("upload-keep").addEventListener("click", function () {
      if (keepConfirmed()) resend("keep");
    });

    function resend(decision) {
      form.elements.namedItem("pii").value = decision;
      form.requestSubmit();
    }

    function keepConfirmed() {
      return window.confirm("Keep the personal data as it is? Everyone who may see this " +
                            "document will see it, and search will find it.");
    }

    // What will be sent: one file (the form as it always was), or several, a row each, with
    // the fields shared and each file's own title.
    function pick(files, inFolder) {
      picked = files;
      fromFolder = inFolder;
      var many = several();
      title.disabled = many;
      titleHint.textContent = many ? titleHint.getAttribute("data-many") : titleHintText;
      manyHint.hidden = !many;
      chosen.hidden = !picked.length;
      if (many) {
        chosen.textContent = picked.length + (picked.length === 1 ? " file" : " files") +
          " selected" + (inFolder ? " in “" + picked[0].path.split("/")[0] + "”." : ".");
        clearPrefilled();
      } else if (picked.length) {
        var file = picked[0].file;
        chosen.textContent = "Selected: " + file.name + " (" + sizeLabel(file.size) + ")";
        prefill(file);
      }
    }

    function several() {
      return picked.length > 1 || fromFolder;
    }

    function filesOf(field) {
      return Array.prototype.map.call(field.files || [], function (file) {
        return { file: file, path: file.webkitRelativePath || file.name };
      });
    }

    // The files of dropped folders, however deep.
    function walk(entries) {
      return Promise.all(entries.map(function (entry) {
        if (entry.isDirectory) return entriesOf(entry.createReader()).then(walk);
        return new Promise(function (done) {
          entry.file(function (file) {
            done([{ file: file, path: entry.fullPath.replace(/^\//, "") }]);
          }, function () { done([]); });
        });
      })).then(function (lists) { return [].concat.apply([], lists); });
    }

    function entriesOf(reader) { // a folder answers in batches, then with an empty one
      return new Promise(function (done) {
        var all = [];
        (function next() {
          reader.readEntries(function (batch) {
            if (!batch.length) return done(all);
            all = all.concat(batch);
            next();
          }, function () { done(all); });
        })();
      });
    }

    // The form's fields for POST /api/documents: the token and the CSRF token go in headers,
    // the file is added by uploadOne, and empty fields are left to the file.
    function sharedFields() {
      var data = new FormData(form);
      ["token", "csrf_token", "file"].forEach(function (name) { data.delete(name); });
      Array.from(data.entries()).forEach(function (entry) {
        if (typeof entry[1] === "string" && !entry[1].trim()) data.delete(entry[0]);
      });
      return data;
    }

    function tokenOf() {
      var field = form.elements.namedItem("token");
      return field ? field.value.trim() : "";
    }

    // One file to POST /api/documents, its progress and outcome told to `report`:
    // progress(percent, text) (percent null while the server indexes), added(doc, duplicate),
    // queued(jobId) (then followed until added or refused) and refused(message, personalData).
    // The promise settles once the server has answered.
    function uploadOne(file, fields, token, report) {
      var data = new FormData();
      fields.forEach(function (value, name) { data.append(name, value); });
      data.append("file", file);
      return new Promise(function (settle) {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.getAttribute("data-api"));
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRF-Token", csrfToken());
        if (token) xhr.setRequestHeader("Authorization", "Bearer " + token);
        xhr.upload.addEventListener("progress", function (event) {
          if (!event.lengthComputable) return;
          var percent = Math.round((event.loaded / event.total) * 100);
          report.progress(percent, "Uploading… " + percent + "%");
        });
        xhr.upload.addEventListener("load", function () {
          report.progress(null, "Indexing: reading the file and making it searchable…");
        });
        xhr.addEventListener("load", function () {
          var body = parseJson(xhr.responseText);
          if (xhr.status === 200 || xhr.status === 201) {
            signedIn(token).then(function () {
              report.added(body, Boolean(body && body.duplicate));
              settle();
            });
          } else if (xhr.status === 202 && body && body.id) {
            signedIn(token).then(function () { // its job page is its uploader's
              report.queued(body.id);
              settle();
            });
            follow(body.id, token, report);
          } else if (body && body.code === "personal-data") {
            report.refused(personalDataText(file.name, body), true);
            settle();
          } else {
            report.refused(detailText(body, xhr.status), false);
            settle();
          }
        });
        xhr.addEventListener("error", function () {
          report.refused("The upload did not reach the server. Check the connection and " +
                         "try again.", false);
          settle();
        });
        report.progress(0, "Uploading…");
        xhr.send(data);
      });
    }

    // A token typed into the form signs its holder in, as /login does (the form without
    // JavaScript does the same): a note visible only to their community is then theirs to
    // open, and so is a large file's job page. Once per token and page.
    function signedIn(token) {
      if (!token) return Promise.resolve();
      if (!signIns[token]) {
        var body = new URLSearchParams();
        body.set("token", token);
        body.set("csrf_token", csrfToken());
        signIns[token] = fetch("/login", { method: "POST", body: body,
                                           credentials: "same-origin", redirect: "manual" })
          .catch(function () {});
      }
      return signIns[token];
    }

    // A large file indexed in the background: ask after its job until it is done.
    function follow(jobId, token, report) {
      var headers = { Accept: "application/json" };
      if (token) headers.Authorization = "Bearer " + token;
      fetch("/api/jobs/" + encodeURIComponent(jobId), { headers: headers })
        .then(function (response) {
          return response.json().then(function (job) { return { ok: response.ok, job: job }; });
        })
        .then(function (answer) {
          var job = answer.job;
          if (!answer.ok) report.refused(detailText(job, 0), false);
          else if (job.status === "done" && job.document) {
            signedIn(token).then(function () { report.added(job.document, false); });
          }
          else if (job.status === "failed") report.refused(job.reason || "Indexing failed.", false);
          else {
            if (job.pages_to_recognise) {  // a photo or scan: its text is being recognised
              var total = job.pages_to_recognise;
              report.progress(Math.round(100 * job.pages_recognised / total),
                              "Recognising text: page " + job.pages_recognised + " of " + total +
                              " read…");
            }
            window.setTimeout(function () { follow(jobId, token, report); }, 1000);
          }
        })
        .catch(function () {
          report.refused("Lost contact with the server while the file was being indexed.", false);
        });
    }

    function finished(doc, duplicate) {
      busy(false);
      status.textContent = "";
      var link = document.createElement("a");
      link.href = "/documents/" + encodeURIComponent(doc.id);
      link.textContent = "Open “" + doc.title + "”";
      status.appendChild(document.createTextNode(
        duplicate ? "This file was already in the Commons. " : "Added and searchable now. "));
      status.appendChild(link);
      status.focus();
      forget();
    }

    function failed(message, offerChoice) {
      busy(false);
      status.textContent = "";
      showError(message);
      choice.hidden = !offerChoice;
    }

    // Done with the chosen files: the next ones get their own choices.
    function forget() {
      form.elements.namedItem("pii").value = "";
      input.value = "";
      folder.value = "";
      pick([], false);
      clearPrefilled();
    }

    // Several files, one after another: a row each; hidden files and other types are not
    // sent; one refused does not stop the rest. At the end a summary, where focus moves.
    function uploadSeveral() {
      var fields = sharedFields();
      var token = tokenOf();
      running = true;
      rows.textContent = "";
      list.hidden = false;
      var sending = picked.map(function (item) {
        var row = fileRow(item, fields, token);
        var reason = skipReason(item);
        if (reason) row.skipped(reason);
        else if (item.file.size > maxBytes) row.refused(tooLarge(item.file), false);
        else return row;
        return null;
      }).filter(Boolean);
      busy(true);
      bar.value = 0;
      sending.forEach(function (row, index) {
        inTurn(function () {
          say("Uploading " + (index + 1) + " of " + sending.length + ": “" + row.path + "”…");
          return uploadOne(row.file, fields, token, row).then(function () {
            bar.value = Math.round(((index + 1) / sending.length) * 100);
          });
        });
      });
      inTurn(function () {
        running = false;
        busy(false);
        forget();
        summarise();
        status.focus();
      });
    }

    function inTurn(task) {
      line = line.then(task);
      return line;
    }

    // A row of the table for one of several files; it is that file's `report`.
    function fileRow(item, fields, token) {
      var tr = rows.insertRow(-1);
      var name = document.createElement("th");
      name.scope = "row";
      name.id = "upload-file-" + rows.rows.length;
      name.tabIndex = -1;
      name.textContent = item.path;
      tr.appendChild(name);
      var cell = tr.insertCell(-1);
      cell.tabIndex = -1; // focus comes here once a choice made in the row has its outcome
      var rowBar = null;
      var rowText = null;
      var row = {
        file: item.file,
        path: item.path,
        progress: function (percent, text) {
          if (!rowBar) {
            show("sending", "", "");
            rowBar = cell.appendChild(document.createElement("progress"));
            rowBar.max = 100;
            rowBar.setAttribute("aria-labelledby", name.id);
            rowText = cell.appendChild(document.createElement("span"));
          }
          if (percent === null) rowBar.removeAttribute("value");
          else rowBar.value = percent;
          rowText.textContent = text;
        },
        added: function (doc, duplicate) {
          show(duplicate ? "duplicate" : "added", "",
               duplicate ? "Already in the Commons. " : "Added and searchable now. ",
               "/documents/" + encodeURIComponent(doc.id), "Open “" + doc.title + "”");
        },
        queued: function (jobId) {
          show("queued", "", "Large file, photo or scan: being indexed in the background. ",
               "/upload/jobs/" + encodeURIComponent(jobId), "Follow its progress");
        },
        refused: function (message, personalData) {
          show(personalData ? "choice" : "refused",
               personalData ? "Needs your choice." : "Refused.", message);
          if (personalData) offerChoice();
        },
        skipped: function (reason) {
          show("skipped", "Skipped.", reason);
        },
      };
      show("waiting", "", "Waiting its turn.");
      return row;

      function show(outcome, label, text, href, linkText) {
        tr.className = "upload-row is-" + outcome;
        tr.setAttribute("data-outcome", outcome);
        cell.textContent = "";
        rowBar = null;
        if (label) {
          cell.appendChild(document.createElement("strong")).textContent = label;
          cell.appendChild(document.createTextNode(" "));
        }
        cell.appendChild(document.createTextNode(text));
        if (href) {
          var link = cell.appendChild(document.createElement("a"));
          link.href = href;
          link.textContent = linkText;
        }
        if (outcome !== "sending" && outcome !== "waiting" && !running) summarise();
      }

      function offerChoice() {
        var actions = cell.appendChild(document.createElement("div"));
        actions.className = "choice-actions";
        choiceButton(actions, "Redact and upload", "button primary", function () {
          again("redact");
        });
        choiceButton(actions, "Upload as it is", "button", function () {
          if (keepConfirmed()) again("keep");
        });
      }

      function choiceButton(parent, text, className, onClick) {
        var choose = parent.appendChild(document.createElement("button"));
        choose.type = "button";
        choose.className = className;
        choose.textContent = text;
        choose.setAttribute("aria-describedby", name.id);
        choose.addEventListener("click", onClick);
      }

      function again(decision) {
        var decided = new FormData();
        fields.forEach(function (value, key) { decided.append(key, value); });
        decided.set("pii", decision);
        name.focus(); // the buttons go; stay in this row
        show("waiting", "", "Waiting its turn.");
        inTurn(function () {
          return uploadOne(item.file, decided, token, row).then(function () { cell.focus(); });
        });
      }
    }

    // "5 added, 1 already here, 1 needs your choice, 1 refused, 2 skipped." in the words of
    // the page without JavaScript (service/web/uploads.py, upload_summary).
    function summarise() {
      var counts = {};
      Array.prototype.forEach.call(rows.rows, function (tr) {
        var outcome = tr.getAttribute("data-outcome");
        counts[outcome] = (counts[outcome] || 0) + 1;
      });
      say([["added", "added", "added"], ["duplicate", "already here", "already here"],
           ["choice", "needs your choice", "need your choice"],
           ["queued", "being indexed in the background", "being indexed in the background"],
           ["refused", "refused", "refused"], ["skipped", "skipped", "skipped"]]
        .filter(function (kind) { return counts[kind[0]]; })
        .map(function (kind) {
          var n = counts[kind[0]];
          return n + " " + (n === 1 ? kind[1] : kind[2]);
        }).join(", ") + ".");
    }

    // A file among several that is not sent: hidden (.DS_Store, a folder's .git) or of a
    // type the hub does not take (as skip_reason in service/web/uploads.py).
    function skipReason(item) {
      if (item.path.split("/").some(function (part) { return part.charAt(0) === "."; })) {
        return "A hidden file (such as .DS_Store), not a note.";
      }
      var dot = item.file.name.lastIndexOf(".");
      if (dot < 0 || allowed.indexOf(item.file.name.slice(dot).toLowerCase()) < 0) {
        return "Only " + allowed.join(", ") + " files can be uploaded.";
      }
      return "";
    }

    function tooLarge(file) {
      return "'" + file.name + "' is " + sizeLabel(file.size) + "; the limit is " +
        sizeLabel(maxBytes) + ".";
    }

    function personalDataText(name, body) {
      var findings = (body.findings || []).slice(0, 10).map(function (finding) {
        return finding.replace(/\.$/, "");
      }).join("; ");
      return "“" + name + "” contains personal data: " + findings + ". Redact it (replaced " +
        "with placeholders such as [phone removed]) or upload it as it is?";
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
