/**
 * Draws a Vega-Lite spec as SVG in Node.js: compile with vega-lite, then a headless vega View (`renderer: 'none'`)
 * and `toSVG()`. No browser and no canvas: vega measures text with its own estimate when no canvas is installed.
 *
 * vega and vega-lite ship ES modules only (and vega-canvas uses top-level await), so they are loaded with a real
 * dynamic `import()`, which tsx keeps as is; a CommonJS `require` cannot load them.
 */
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

const load = () => (libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite })));

/** The SVG document of `spec` (a white background, fonts as the page's sans-serif). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await load();
  const compiled = vegaLite.compile({ background: 'white', config: { font: 'Helvetica, Arial, sans-serif' }, ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
