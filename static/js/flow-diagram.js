/* A flow's BPMN diagram drawn by bpmn-js's viewer, fitted to its box, with what the page
 * gives in #flow-diagram-data: on the supervisor's dashboard ("nodes") each waiting step's
 * live numbers and, on a staff step, a link to its open cases; on a staff case page
 * ("path") the steps the case went through, where it is now and how many times it reached
 * each. The page holds the same as text («گام‌ها», «سابقه پرونده») for screen readers and
 * for a browser without JavaScript. */
(function () {
  "use strict";
  var box = document.getElementById("flow-diagram");
  var data = document.getElementById("flow-diagram-data");
  if (!box || !data || !window.BpmnJS) { return; }
  var given = JSON.parse(data.textContent);
  var nodes = given.nodes || [];
  var path = given.path || [];
  var byId = {};
  nodes.forEach(function (node) { byId[node.id] = node; });

  function badge(node) {
    var element = document.createElement(node.url ? "a" : "span");
    element.className = "diagram-badge diagram-" + node.level;
    element.textContent = node.waiting;
    element.title = node.title + ": " + node.waiting + " در انتظار، میانه " + node.median +
      "، صدک ۹۰ " + node.p90 + "، خارج از مهلت " + node.breaches;
    element.setAttribute("aria-label", element.title);
    if (node.url) { element.href = node.url; }
    return element;
  }

  function waitLabel(node) {
    var element = document.createElement("span");
    element.className = "diagram-wait";
    element.textContent = "میانه " + node.median;
    return element;
  }

  // The box takes the diagram's proportions at the box's width (a flow is much wider than
  // tall), between a third of the screen's height and two thirds, then the diagram is fitted.
  function fit(canvas) {
    var inner = canvas.getActiveLayer().getBBox();
    var width = box.clientWidth;
    var wanted = inner.width ? width * (inner.height + 40) / (inner.width + 40) : 0;
    var height = Math.max(window.innerHeight / 3, Math.min(wanted, window.innerHeight * 2 / 3));
    box.style.height = Math.round(height) + "px";
    canvas.resized();
    canvas.zoom("fit-viewport", "auto");
  }

  function failed() {
    box.classList.add("diagram-failed");
    box.textContent = "نمودار بارگذاری نشد؛ همین اعداد در جدول «گام‌ها» آمده است.";
  }

  box.textContent = "";
  var viewer = new window.BpmnJS({
    container: box,
    textRenderer: {
      defaultStyle: { fontFamily: "Vazirmatn, Tahoma, sans-serif", fontSize: 15, lineHeight: 1.3 },
      externalStyle: { fontSize: 14 }
    }
  });
  fetch(box.getAttribute("data-source"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var overlays = viewer.get("overlays");
      nodes.forEach(function (node) {
        if (node.level) {
          canvas.addMarker(node.id, "diagram-" + node.level);
          overlays.add(node.id, { position: { top: -12, right: -6 }, html: badge(node) });
          if (node.median !== "—") {
            overlays.add(node.id, { position: { bottom: -4, left: 0 }, html: waitLabel(node) });
          }
        }
        if (node.incidents) {
          var incident = document.createElement("a");
          incident.className = "diagram-badge diagram-incident";
          incident.href = node.incidents_url;
          incident.textContent = "⚠ " + node.incidents_text;
          incident.title = node.title + ": " + node.incidents_text + " رخداد باز";
          incident.setAttribute("aria-label", incident.title);
          overlays.add(node.id, { position: { top: -12, left: -6 }, html: incident });
        }
      });
      path.forEach(function (step) {
        canvas.addMarker(step.id, "diagram-" + step.state);
        if (step.visits > 1) {
          var times = document.createElement("span");
          times.className = "diagram-badge diagram-visits";
          times.textContent = step.visits_text;
          times.title = step.visits_text + " بار";
          overlays.add(step.id, { position: { top: -12, right: -6 }, html: times });
        }
      });
      viewer.get("eventBus").on("element.click", function (event) {
        var node = byId[event.element.id];
        if (node && node.url) { window.location.assign(node.url); }
      });
      fit(canvas);
      // A turned phone or a resized window: fitted again once the resizing settles.
      var pending;
      window.addEventListener("resize", function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(function () { fit(canvas); }, 200);
      });
      box.setAttribute("data-ready", "true");
    })
    .catch(failed);
}());
