/* Zoom and pan of the network picture, with svg-pan-zoom (an npm package pinned in
   package-lock.json, served from node_modules, never copied here). Without JavaScript the
   picture is the same, without zooming; the table below it has the same data.
   Keyboard: the buttons zoom in, out and back; the arrow keys pan while a button has the focus. */
(function () {
  "use strict";
  var STEP = 60;

  function start() {
    var svg = document.querySelector("#picture svg.network-picture");
    var controls = document.getElementById("picture-controls");
    if (!svg || !controls || typeof window.svgPanZoom !== "function") {
      return;
    }
    svg.closest("figure").classList.add("picture-box--zoomable");
    var zoom = window.svgPanZoom(svg, {
      zoomEnabled: true,
      controlIconsEnabled: false,
      mouseWheelZoomEnabled: false,
      dblClickZoomEnabled: true,
      fit: true,
      center: true,
      minZoom: 0.5,
      maxZoom: 30
    });
    controls.hidden = false;
    // A phone turned, a window made narrower: fit the whole picture again.
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        zoom.resize();
        zoom.fit();
        zoom.center();
      }, 150);
    });
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-zoom");
      if (action === "in") {
        zoom.zoomIn();
      } else if (action === "out") {
        zoom.zoomOut();
      } else {
        zoom.resetZoom();
        zoom.center();
      }
    });
    controls.addEventListener("keydown", function (event) {
      var moves = {ArrowLeft: [STEP, 0], ArrowRight: [-STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP]};
      var move = moves[event.key];
      if (move) {
        event.preventDefault();
        zoom.panBy({x: move[0], y: move[1]});
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
