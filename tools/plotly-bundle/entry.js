// The trace types budgets/charts/ draws; core brings scatter and the layout components
// (axes, shapes, annotations). Add a trace here when a chart needs it, then rebuild.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/waterfall"),
  require("plotly.js/lib/treemap"),
]);

module.exports = Plotly;
