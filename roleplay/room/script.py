"""The pages' one inline script: poll the state (bounded: every 2 s, backing off to 15 s
when the room cannot be reached) and redraw only what changed, as text; send a vote or
an answer with ``fetch`` instead of reloading the page."""

SCRIPT = r"""
(function () {
  "use strict";
  var state = JSON.parse(document.getElementById("initial").textContent);
  var projector = state.room === "projector";
  var delay = 2000, stopped = false;
  var STATUS = {
    waiting: "The session has not started yet. This page updates by itself.",
    voting: "Choose one option. You can change your vote until it is locked.",
    locked: "Vote locked.", revealed: "Here is what happened.",
    ended: "The session has ended. Thank you."
  };
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fill(id, nodes) {
    var box = document.getElementById(id);
    while (box.firstChild) { box.removeChild(box.firstChild); }
    nodes.forEach(function (n) { box.appendChild(n); });
  }
  function statusText(v) {
    if (v.phase === "voting" && v.mine) {
      return "Your vote: " + v.mine + ". You can change it until the vote is locked.";
    }
    if (v.phase === "locked" && v.mine) { return "Vote locked. Your vote: " + v.mine + "."; }
    var text = STATUS[v.phase] || "";
    return (v.phase === "voting" && v.round > 1 ? "Revote: " : "") + text;
  }
  function optionsNodes(v) {
    if (["voting", "locked", "revealed"].indexOf(v.phase) < 0) { return []; }
    var voting = v.phase === "voting" && !projector;
    var items = v.options.map(function (o) {
      var inner = [el("span", {"class": "letter"}, [o.letter]), " ", el("span", {}, [o.text])];
      if (voting) {
        return el("button", {"class": "option", type: "submit", name: "letter",
          value: o.letter, "aria-pressed": v.mine === o.letter ? "true" : "false"}, inner);
      }
      if (v.mine === o.letter) {
        inner.push(" ", el("span", {}, ["✓ your vote"]));
        return el("div", {"class": "option mine"}, inner);
      }
      return el("div", {"class": "option"}, inner);
    });
    var list = el("div", {"class": "options", role: "group", "aria-labelledby": "prompt"}, items);
    var heading = el("h2", {id: "prompt"}, [v.prompt]);
    if (!voting) { return [heading, list]; }
    var form = el("form", {method: "post", action: "vote", id: "vote-form"}, [
      el("input", {type: "hidden", name: "moment", value: String(v.moment)}),
      el("input", {type: "hidden", name: "round", value: String(v.round)}), list]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      if (!button) { return; }
      send("vote", {moment: v.moment, round: v.round, letter: button.value});
    });
    return [heading, form];
  }
  function countsNodes(v) {
    if (!v.counts) { return []; }
    var total = v.total || 0;
    var rows = Object.keys(v.counts).map(function (letter) {
      var n = v.counts[letter], share = total ? Math.round(100 * n / total) : 0;
      var bar = el("span", {"class": "bar", "aria-hidden": "true"});
      bar.style.width = share + "%";
      return el("li", {}, [letter + ": " + n + (n === 1 ? " vote" : " votes") +
        " (" + share + "%)", bar]);
    });
    return [el("h2", {}, ["The room's votes (" + total + ")"]),
      el("ul", {"class": "counts"}, rows)];
  }
  function revealNodes(v) {
    var r = v.revealed;
    if (!r) { return []; }
    var out = [el("h2", {}, ["What happened"]), el("p", {}, [r.who]),
      el("p", {}, [el("strong", {}, [r.letter + ":"]), " " + r.text])];
    r.lines.forEach(function (line) {
      if (line.narration) { out.push(el("p", {"class": "narration"}, [line.narration])); }
      if (line.cue) { out.push(el("p", {"class": "cue"}, ["(" + line.cue + ")"])); }
      if (line.say) {
        out.push(el("p", {}, [el("strong", {}, [line.speaker + ":"]), " " + line.say]));
      }
    });
    if (r.why) { out.push(el("p", {}, [r.why])); }
    return out;
  }
  function answerNodes(v) {
    var questions = v.questions || [];
    if (projector || !questions.length) { return []; }
    var out = [el("h2", {}, ["Questions for the room"]),
      el("ul", {}, questions.map(function (q) { return el("li", {}, [q]); }))];
    if (v.can_answer) {
      var area = el("textarea", {id: "answer-text", name: "text", maxlength: String(v.max_answer),
        required: "required"});
      var form = el("form", {method: "post", action: "answer", id: "answer-form"}, [
        el("label", {"for": "answer-text"}, ["Your answer (anonymous; the facilitator chooses " +
          "what the room sees; at most " + v.max_answer + " characters)"]),
        area, el("button", {"class": "send", type: "submit"}, ["Send answer"])]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        send("answer", {moment: v.moment, text: area.value}, "Your answer was sent.");
      });
      out.push(form);
    } else if (v.sent) {
      out.push(el("p", {}, ["Thank you: your answers were sent."]));
    }
    return out;
  }
  function sharedNodes(v) {
    var answers = v.answers || [];
    if (!answers.length) { return []; }
    return [el("h2", {}, ["Answers from the room"]),
      el("ul", {"class": "shared"}, answers.map(function (a) { return el("li", {}, [a]); }))];
  }
  var shownKeys = {};
  function part(id, key, build, v) {
    if (shownKeys[id] === key) { return; }
    shownKeys[id] = key;
    fill(id, build(v));
  }
  function render(v, said) {
    var heading = v.moment ? "Moment " + v.moment + " · " + v.title : v.scenario;
    part("heading", heading, function () { return [el("h1", {}, [heading])]; }, v);
    var base = [v.phase, v.moment, v.round, v.phase === "voting" ? "" : v.mine,
      JSON.stringify(v.options || [])].join("|");
    part("vote", base, optionsNodes, v);
    document.querySelectorAll("#vote button.option").forEach(function (b) {
      b.setAttribute("aria-pressed", v.mine === b.value ? "true" : "false");
    });
    part("counts", JSON.stringify([v.counts, v.total]), countsNodes, v);
    part("reveal", JSON.stringify(v.revealed || null), revealNodes, v);
    if (document.getElementById("answer")) {
      part("answer", JSON.stringify([v.moment, v.questions, v.can_answer, v.sent]), answerNodes, v);
    }
    part("shared", JSON.stringify(v.answers), sharedNodes, v);
    var status = said || statusText(v);
    var box = document.getElementById("status");
    if (box.textContent !== status) { box.textContent = status; }
    state = v;
  }
  function send(what, fields, done) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, String(fields[k])); });
    fetch(what, {method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json"}}).then(function (answer) {
      return answer.json().then(function (data) {
        if (data.view) { render(data.view, answer.ok ? done : data.error); }
        else if (data.error) { document.getElementById("status").textContent = data.error; }
      });
    }).catch(function () {
      document.getElementById("status").textContent =
        "Could not reach the room: check the network and try again.";
    });
  }
  function poll() {
    if (stopped) { return; }
    fetch("state?v=" + encodeURIComponent(state.etag), {credentials: "same-origin",
      cache: "no-store"}).then(function (answer) {
      if (answer.status === 200) {
        return answer.json().then(function (v) { render(v); delay = 2000; });
      }
      if (answer.status === 204) { delay = 2000; return; }
      if (answer.status === 403 || answer.status === 404) { stopped = true; }
      delay = Math.min(delay * 2, 15000);
    }).catch(function () {
      delay = Math.min(delay * 2, 15000);
    }).then(function () {
      if (state.phase === "ended") { delay = 15000; }
      setTimeout(poll, delay);
    });
  }
  render(state);
  setTimeout(poll, delay);
})();
"""
