// publish: live progress of a build on its job page. The page works without this file
// (it offers a "Check progress again" link); with it, the job's server-sent events move the
// progress bar and the polite status region says each change a screen reader should hear.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || !job.dataset.events || !window.EventSource) {
    return;
  }
  var status = document.getElementById("job-status");
  var bar = document.getElementById("job-progress");
  var refresh = document.getElementById("job-refresh");
  var spoken = "";
  var lastQuarter = -1;

  function say(text) {
    if (text !== spoken) {
      spoken = text;
      status.textContent = text;
    }
  }

  function show(state) {
    var percent = Math.round((state.progress || 0) * 100);
    bar.value = percent;
    bar.textContent = percent + "%";
    if (state.status === "queued") {
      say("Waiting for a worker.");
    } else if (state.status === "running") {
      var quarter = Math.floor(percent / 25);
      if (quarter !== lastQuarter) {  // a change every quarter, not every tick
        lastQuarter = quarter;
        say("Building: " + percent + "% done.");
      }
    } else if (state.status === "done") {
      say("Done: the file is ready to download.");
      document.getElementById("job-done").hidden = false;
    } else if (state.status === "failed") {
      var error = state.error || {};
      var where = error.file ? " (" + error.file + (error.line ? ", line " + error.line : "") + ")" : "";
      document.getElementById("job-error").textContent = (error.message || "The build failed.") + where;
      say("The build failed.");
      document.getElementById("job-failed").hidden = false;
    }
  }

  if (refresh) {
    refresh.hidden = true;
  }
  var source = new EventSource(job.dataset.events);
  ["queued", "running", "done", "failed"].forEach(function (name) {
    source.addEventListener(name, function (event) {
      var state = JSON.parse(event.data);
      show(state);
      if (state.status === "done" || state.status === "failed") {
        source.close();
      }
    });
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED && refresh) {
      refresh.hidden = false;  // the stream is gone: offer the plain link again
    }
  };
}());
