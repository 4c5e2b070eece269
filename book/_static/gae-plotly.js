// Plotly's sliders end a drag on a mouseup over their own figure only (plotly.js,
// components/sliders/draw.js listens on the figure): a reader who drags a slider and lets go
// outside the figure finds the slider following the pointer afterwards, with no button
// pressed.  Here any mouseup on the page ends every slider drag still in progress.
(function () {
  "use strict";
  document.addEventListener("mouseup", function (event) {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      const sliders = (gd._fullLayout && gd._fullLayout.sliders) || [];
      if (!gd.contains(event.target) && sliders.some(function (s) { return s._dragging; })) {
        gd.dispatchEvent(new MouseEvent("mouseup"));
      }
    });
  }, true);
})();
