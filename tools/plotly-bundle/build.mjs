// Builds ../../static/js/vendor/plotly-custom.min.js from entry.js with esbuild, using the
// options of plotly.js's own esbuild-config.js (iife named Plotly, `global` is window).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const plotly = require("plotly.js/package.json");
const outfile = new URL("../../static/js/vendor/plotly-custom.min.js", import.meta.url).pathname;

// plotly.js's licence header, as its own dist files carry it.
const banner = `/**
* plotly.js v${plotly.version} (custom bundle: core, bar, waterfall, treemap)
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
* Built by tools/plotly-bundle (npm ci && npm run build)
*/`;

// The map trace's stylesheet is required by the trace registry whatever traces are bundled;
// no map is drawn here, so it resolves to nothing instead of a CSS file beside the bundle.
const noMapStyles = {
  name: "no-map-styles",
  setup(builder) {
    builder.onResolve({ filter: /maplibre-gl\.css$/ }, () => ({ path: "none", namespace: "empty" }));
    builder.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

// The attribute descriptions (plotly's schema documentation, English prose for
// Plotly.PlotSchema) are dropped, as plotly.js's own minified bundles drop them: never shown
// to a visitor. A `description:` property starting a line is removed up to the comma or brace
// that ends its value at the same depth, across lines, strings and `[...].join(...)` alike.
const DESCRIPTION = /^[ \t]*description:/gm;

function valueEnd(source, from) {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === "'" || c === '"' || c === "`") {
      for (i++; source[i] !== c; i++) {
        if (source[i] === "\\") { i++; }
      }
    } else if ("([{".includes(c)) {
      depth++;
    } else if (")]}".includes(c)) {
      if (depth === 0) { return i; }
      depth--;
    } else if (c === "," && depth === 0) {
      return i + 1;
    }
  }
  throw new Error("unterminated description");
}

function withoutDescriptions(source) {
  let out = "";
  let last = 0;
  for (const match of source.matchAll(DESCRIPTION)) {
    if (match.index < last) { continue; }
    out += source.slice(last, match.index);
    last = valueEnd(source, match.index + match[0].length);
  }
  return out + source.slice(last);
}

const withoutSchemaDocs = {
  name: "without-schema-docs",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => ({
      contents: withoutDescriptions(await readFile(args.path, "utf8")),
      loader: "js",
    }));
  },
};

await build({
  entryPoints: [new URL("entry.js", import.meta.url).pathname],
  outfile,
  bundle: true,
  format: "iife",
  globalName: "Plotly",
  minify: true,
  target: "es2016",
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  banner: { js: banner },
  legalComments: "eof",
  plugins: [noMapStyles, withoutSchemaDocs],
  logLevel: "info",
});

const size = readFileSync(outfile).length;
console.log(`${outfile}: ${size} bytes`);
