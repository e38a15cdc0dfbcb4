// The participants' light page: join, vote, post and withdraw notes through the JSON endpoints of /join/api.
// Everything shown that came from people or data is set with textContent, never as HTML.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = null, version = null, order = [], pollEvery = 3, timerTick = null;

  function say(text) { $("message").textContent = text || ""; }
  function problem(text) { $("problem").textContent = text || ""; }

  function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch("/join/api/" + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        data.status = response.status;
        return data;
      });
    });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function showJoin() {
    $("session").hidden = true;
    $("join").hidden = false;
    $("title").textContent = "Join the workshop";
    var code = new URLSearchParams(location.search).get("code");
    if (code && !$("code").value) $("code").value = code.slice(0, 12);
  }

  function load() {
    return call("GET", "state").then(function (data) {
      if (data.status === 401) { showJoin(); if (state) problem(data.error); state = null; return; }
      if (data.error) { problem(data.error); return; }
      problem("");
      draw(data);
    }).catch(function () { problem("The server did not answer; trying again."); });
  }

  function draw(data) {
    var itemChanged = !state || state.item_id !== data.item_id;
    state = data;
    version = data.version;
    $("join").hidden = true;
    $("session").hidden = false;
    $("title").textContent = data.title;
    $("you").textContent = "You are " + data.you;
    $("where").textContent = "Item " + data.position + " of " + data.items + (data.theme ? " · " + data.theme : "");
    $("item-text").textContent = data.text;
    var voting = data.ended ? "The session has ended. Thank you for taking part."
      : data.voting_open ? "Voting is open."
      : data.locked ? "Voting on this item is locked: no vote is taken or changed."
      : "Voting on this item is not open yet: the facilitator opens it.";
    $("voting").textContent = voting;
    if (itemChanged || !data.voting_open) order = data.my_vote && data.kind === "rank" ? data.my_vote.slice()
      : data.options.map(function (option) { return option.id; });
    $("vote").hidden = !data.voting_open || data.ended;
    $("note").hidden = data.ended;
    if (data.voting_open) drawChoices();
    drawMyVote();
    drawResults();
    drawNotes();
    noteCount();
    drawTimer();
  }

  function label(id) {
    for (var i = 0; i < state.options.length; i++) if (state.options[i].id === id) return state.options[i];
    return { label: id, text: "" };
  }

  function drawChoices() {
    var box = $("choices");
    box.textContent = "";
    if (state.kind === "agree") {
      $("vote-legend").textContent = "Your answer";
      state.options.forEach(function (option, index) {
        var row = el("div", undefined, "choice");
        var input = el("input");
        input.type = "radio"; input.name = "answer"; input.value = option.id; input.id = "answer-" + index;
        input.checked = state.my_vote !== null && String(state.my_vote) === option.id;
        var text = el("label", option.label);
        text.htmlFor = input.id;
        row.appendChild(input); row.appendChild(text);
        box.appendChild(row);
      });
      return;
    }
    $("vote-legend").textContent = "Put the recommendations in order of priority, most important first";
    var list = el("ol");
    order.forEach(function (id, index) {
      var option = label(id);
      var row = el("li", undefined, "rank");
      row.appendChild(el("span", option.label + ": " + option.text));
      [["Move up", -1], ["Move down", 1]].forEach(function (move) {
        var button = el("button", move[0], "small");
        button.type = "button";
        button.setAttribute("aria-label", move[0] + ": " + option.label);
        button.disabled = index + move[1] < 0 || index + move[1] >= order.length;
        button.addEventListener("click", function () {
          var other = index + move[1];
          order[index] = order[other]; order[other] = id;
          drawChoices();
          say(option.label + " is now number " + (other + 1) + ".");
        });
        row.appendChild(button);
      });
      list.appendChild(row);
    });
    box.appendChild(list);
  }

  function drawMyVote() {
    var mine = state.my_vote;
    $("my-vote").textContent = mine === null || mine === undefined ? "" : "Your vote: " + (state.kind === "agree"
      ? label(String(mine)).label : mine.map(function (id) { return label(id).label; }).join(" > "));
  }

  function drawResults() {
    var list = $("tally");
    list.textContent = "";
    $("results").hidden = !state.tally;
    if (!state.tally) return;
    $("results-heading").textContent = "Results (" + state.ballots + " vote(s))";
    state.tally.forEach(function (row) {
      var option = label(row.option);
      list.appendChild(el("li", state.kind === "agree" ? option.label + ": " + row.votes
        : option.label + ": " + row.points + " points, " + row.votes + " first place(s)"));
    });
  }

  function drawNotes() {
    var list = $("mine");
    list.textContent = "";
    $("mine-heading").hidden = state.my_notes.length === 0;
    state.my_notes.forEach(function (note) {
      var row = el("li", undefined, "note");
      row.appendChild(el("p", note.text));
      var button = el("button", "Withdraw", "small");
      button.type = "button";
      button.setAttribute("aria-label", "Withdraw the note: " + note.text.slice(0, 40));
      button.addEventListener("click", function () {
        call("POST", "withdraw", { note: note.id }).then(function (data) {
          if (data.error) problem(data.error); else { problem(""); say("Note withdrawn."); load(); }
        });
      });
      row.appendChild(button);
      list.appendChild(row);
    });
  }

  function noteCount() {
    if (!state) return;
    var length = Array.from($("note-text").value).length, most = state.max_note;
    $("note-count").textContent = length > most
      ? length + " characters: " + (length - most) + " too many (at most " + most + ")"
      : length + " of at most " + most + " characters";
  }

  function drawTimer() {
    clearInterval(timerTick);
    $("timer").textContent = "";
    if (!state.timer_ends_at) return;
    var ends = Date.parse(state.timer_ends_at);
    var tick = function () {
      var left = Math.round((ends - Date.now()) / 1000);
      $("timer").textContent = left <= 0 ? "Time is up" : Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left";
    };
    tick();
    timerTick = setInterval(tick, 1000);
  }

  function poll() {
    var next = function () { setTimeout(poll, pollEvery * 1000); };
    if (!state) { next(); return; }
    call("GET", "status").then(function (data) {
      if (data.status === 401) { state = null; showJoin(); problem(data.error); }
      else if (data.version) {
        pollEvery = data.poll || pollEvery;
        if (data.version !== version) load();
      }
    }).catch(function () {}).then(next);
  }

  $("join").addEventListener("submit", function (event) {
    event.preventDefault();
    problem(""); say("");
    call("POST", "join", { code: $("code").value, name: $("name").value }).then(function (data) {
      if (data.error) { problem(data.error); return; }
      say("You have joined.");
      load();
    }).catch(function () { problem("The server did not answer; try again."); });
  });

  $("vote").addEventListener("submit", function (event) {
    event.preventDefault();
    var value;
    if (state.kind === "agree") {
      var picked = document.querySelector("input[name=answer]:checked");
      if (!picked) { problem("Choose an answer first."); return; }
      value = Number(picked.value);
    } else value = order.slice();
    call("POST", "vote", { item_id: state.item_id, value: value }).then(function (data) {
      if (data.error) { problem(data.error); return; }
      problem(""); say("Your vote is in. You can change it until voting is locked.");
      load();
    });
  });

  $("note").addEventListener("submit", function (event) {
    event.preventDefault();
    call("POST", "note", { item_id: state.item_id, text: $("note-text").value }).then(function (data) {
      if (data.error) { problem(data.error); return; }
      $("note-text").value = "";
      problem(""); say("Posted: it shows on the notes wall.");
      load();
    });
  });

  $("note-text").addEventListener("input", noteCount);
  load().then(poll);
})();
