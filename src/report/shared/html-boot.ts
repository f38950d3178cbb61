/**
 * The page's only own script: draws every chart from the compiled Vega specs embedded in the page, with the
 * SVG renderer so that marks are DOM nodes (crisp at any zoom, countable by the browser test). Plain ES5-level
 * JavaScript: it runs as written in any browser, without a build step. Marks each figure data-rendered="true"
 * (or "error", with the message shown in place of the chart) and the <html> element data-charts-rendered once
 * all are done.
 */
export const BOOT_SCRIPT = `(function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('meshbench-charts').textContent);
  var embedOptions = {
    mode: 'vega',
    renderer: 'svg',
    actions: { export: true, source: false, compiled: false, editor: false }
  };
  function draw(chart) {
    var figure = document.getElementById('chart-' + chart.id);
    var target = figure.querySelector('.chart-canvas');
    var drawn;
    if (typeof vegaEmbed === 'function') {
      var opts = Object.assign({ downloadFileName: chart.id }, embedOptions);
      drawn = vegaEmbed(target, chart.vega, opts);
    } else {
      var view = new vega.View(vega.parse(chart.vega), { renderer: 'svg', container: target, hover: true });
      drawn = view.runAsync();
    }
    return drawn.then(
      function () { figure.setAttribute('data-rendered', 'true'); },
      function (err) {
        figure.setAttribute('data-rendered', 'error');
        target.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : err);
        console.error(err);
      }
    );
  }
  Promise.all(charts.map(draw)).then(function () {
    document.documentElement.setAttribute('data-charts-rendered', String(charts.length));
  });
})();
`;
