/* Link charts (templates/intelligence/_chart.html), progressively enhanced:
   the server lays the chart out and every node is a link that expands it;
   here a node can also be dragged (mouse, touch or pen) to untangle it, and
   pointing at or focusing a node fades everyone not linked to it. */
(function () {
  "use strict";
  function setup(svg) {
    var lines = Array.prototype.slice.call(svg.querySelectorAll("line[data-a]"));
    var nodes = {};
    Array.prototype.forEach.call(svg.querySelectorAll(".node[data-id]"), function (el) {
      var m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(el.getAttribute("transform") || "");
      nodes[el.dataset.id] = { el: el, x: m ? +m[1] : 0, y: m ? +m[2] : 0 };
    });
    function focus(id) {
      svg.classList.add("focused");
      nodes[id].el.classList.add("near");
      lines.forEach(function (l) {
        if (l.dataset.a === id || l.dataset.b === id) {
          l.classList.add("near");
          nodes[l.dataset.a].el.classList.add("near");
          nodes[l.dataset.b].el.classList.add("near");
        }
      });
    }
    function unfocus() {
      svg.classList.remove("focused");
      Array.prototype.forEach.call(svg.querySelectorAll(".near"), function (el) {
        el.classList.remove("near");
      });
    }
    function point(evt) {
      var p = svg.createSVGPoint();
      p.x = evt.clientX; p.y = evt.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    function move(id, x, y) {
      var n = nodes[id];
      n.x = x; n.y = y;
      n.el.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ")");
      lines.forEach(function (l) {
        if (l.dataset.a === id) { l.setAttribute("x1", x); l.setAttribute("y1", y); }
        if (l.dataset.b === id) { l.setAttribute("x2", x); l.setAttribute("y2", y); }
      });
    }
    Object.keys(nodes).forEach(function (id) {
      var el = nodes[id].el, drag = null;
      el.addEventListener("pointerenter", function () { focus(id); });
      el.addEventListener("pointerleave", function () { if (!drag) { unfocus(); } });
      el.addEventListener("focus", function () { focus(id); });
      el.addEventListener("blur", unfocus);
      el.addEventListener("pointerdown", function (evt) {
        var p = point(evt);
        drag = { dx: nodes[id].x - p.x, dy: nodes[id].y - p.y, moved: false };
        el.setPointerCapture(evt.pointerId);
        el.classList.add("dragging");
      });
      el.addEventListener("pointermove", function (evt) {
        if (!drag) { return; }
        var p = point(evt);
        drag.moved = true;
        move(id, p.x + drag.dx, p.y + drag.dy);
      });
      el.addEventListener("pointerup", function () {
        el.classList.remove("dragging");
        el.dataset.dragged = drag && drag.moved ? "1" : "";
        drag = null;
      });
      // A drag is not a click: the link (expand) follows only a click that did not move.
      el.addEventListener("click", function (evt) {
        if (el.dataset.dragged === "1") { evt.preventDefault(); el.dataset.dragged = ""; }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("svg[data-network]"), setup);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
