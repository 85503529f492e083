import { createRequire } from 'node:module';
import type { ProgressPoint } from '../../domain/digest/chart-spec.js';
import { progressChartSpec } from '../../domain/digest/chart-spec.js';

/**
 * The chart's fonts: DejaVu Sans (regular for labels, bold for titles) from the `dejavu-fonts-ttf` npm package,
 * so the chart looks the same on every machine, a slim Docker image without system fonts included, and resvg
 * does not scan the system's fonts on every render.
 */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${f}`));

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
    // event loop (renderAsync runs in libuv's thread pool); text in the bundled DejaVu Sans
    const image = await renderAsync(svg, { font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } });
    return Buffer.from(image.asPng());
  } finally {
    view.finalize();
  }
}
