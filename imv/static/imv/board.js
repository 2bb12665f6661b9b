/*
 * Live status board: listens on /ws/imv/rondes/<uuid>/ and, when the round changes, fetches the
 * table again over HTTP (where access is checked) and swaps it in. When the socket is down
 * (Redis or the server unreachable) the page says "niet live" and offers a manual refresh; it
 * keeps retrying with backoff. Without JavaScript the page is simply not live.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board-live]");
  var status = document.getElementById("board-live-status");
  if (!root || !status || !("WebSocket" in window) || !window.fetch) {
    return;
  }
  var text = status.querySelector("[data-live-text]");
  var updated = status.querySelector("[data-live-updated]");
  var refreshLink = status.querySelector("[data-live-refresh]");
  var t = root.dataset;

  var CLOSE_FORBIDDEN = 4403;
  var MAX_DELAY = 30000;
  var attempts = 0;
  var socket = null;
  var everConnected = false;
  var everFailed = false;
  var retryTimer = null;
  var fetching = false;
  var fetchAgain = false;

  function setState(state, message, showRefresh) {
    status.dataset.state = state;
    text.textContent = message;
    refreshLink.hidden = !showRefresh;
  }

  function timeNow() {
    return new Date().toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  // One request at a time; changes that arrive meanwhile cause exactly one more.
  function refresh() {
    if (fetching) {
      fetchAgain = true;
      return Promise.resolve();
    }
    fetching = true;
    return fetch(t.fragmentUrl, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        // A redirect means the session ended (login page); a 403 that access was withdrawn.
        if (!response.ok || response.redirected) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        updated.textContent = t.textUpdated + " " + timeNow() + ".";
      })
      .catch(function () {
        setState("offline", t.textFailed, true);
      })
      .then(function () {
        fetching = false;
        if (fetchAgain) {
          fetchAgain = false;
          refresh();
        }
      });
  }

  function scheduleRetry() {
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempts)) + Math.floor(Math.random() * 500);
    attempts += 1;
    everFailed = true;
    setState("offline", t.textOffline + " " + Math.round(delay / 1000) + " " + t.textSeconds, true);
    retryTimer = window.setTimeout(connect, delay);
  }

  function connect() {
    retryTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // Only the first attempt says "connecting": later ones keep the "niet live" notice in view.
    if (!everConnected && !everFailed) {
      setState("connecting", t.textConnecting, true);
    }
    try {
      socket = new WebSocket(scheme + window.location.host + t.socketPath);
    } catch (error) {
      scheduleRetry();
      return;
    }
    socket.addEventListener("message", function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "connected") {
        attempts = 0;
        setState("live", t.textLive, false);
        // After a gap, catch up on what changed while the board was not listening.
        if (everConnected) {
          refresh();
        }
        everConnected = true;
      } else if (message.type === "round.changed") {
        refresh();
      }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === CLOSE_FORBIDDEN) {
        setState("offline", t.textForbidden, true);
        return;
      }
      scheduleRetry();
    });
  }

  refreshLink.addEventListener("click", function (event) {
    event.preventDefault();
    refresh();
    // A manual refresh is also a good moment to try the live connection again.
    if (retryTimer !== null) {
      window.clearTimeout(retryTimer);
      attempts = 0;
      connect();
    }
  });

  connect();
})();
