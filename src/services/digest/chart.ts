import type { ProgressPoint } from '../../domain/digest/chart-spec.js';
import { progressChartSpec } from '../../domain/digest/chart-spec.js';

/**
 * Renders the digest chart to PNG: the Vega-Lite spec (domain/digest/chart-spec.ts) compiled by vega-lite,
 * rendered to SVG by vega's headless View (no canvas, no browser), then rasterised by @resvg/resvg-js (a
 * prebuilt binary shipped inside its npm package). The three libraries are imported on first use, so a
 * process that never renders a chart (and the request/ack path) never loads them.
 * @returns the PNG bytes.
 * @throws when vega cannot render the spec (a bug: the spec is built here).
 */
export async function renderProgressChart(points: readonly ProgressPoint[], title: string): Promise<Buffer> {
  const [vega, vegaLite, { renderAsync }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const spec = vegaLite.compile(progressChartSpec(points, title) as never).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // rasterised at the SVG's own size (zoom 1: a 1.5× zoom cost ~3× the time in bench/digest-render.ts), off the
    // event loop (renderAsync runs in libuv's thread pool); text in the machine's sans-serif font
    const image = await renderAsync(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
    return Buffer.from(image.asPng());
  } finally {
    view.finalize();
  }
}
