// kennisbank serve: one EventSource for every tab of a browser. Each tab's
// live.js connects through a port; the last event is replayed to a tab
// that connects later, so it can tell whether it missed a build.
"use strict";
var ports = [];
var last = null;
var source = new EventSource("events");
source.onmessage = function (e) {
  last = JSON.parse(e.data);
  for (var i = 0; i < ports.length; i++) ports[i].postMessage(last);
};
// Lost the server: what it said last may be out of date when it returns.
source.onerror = function () { last = null; };
onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  port.start();
  if (last) port.postMessage(last);
};
