/**
 * The digest chart as a Vega-Lite spec (pure data; rendered to SVG by vega and to PNG by resvg in
 * services/digest/chart.ts): % complete per workstream over the digest days so far, one line each.
 */

/** One point: a workstream's % complete at one digest (`date` program-local, YYYY-MM-DD). */
export interface ProgressPoint {
  date: string;
  workstream: string;
  percent: number;
}

/**
 * A Vega-Lite v6 line chart of `points` (x: date, y: 0–100 %, colour: workstream name), `width` × `height`
 * px, titled `title`. Legend columns grow with the number of workstreams so 50 stay readable.
 */
export function progressChartSpec(points: readonly ProgressPoint[], title: string, width = 720, height = 360): Record<string, unknown> {
  const names = new Set(points.map((p) => p.workstream)).size;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height,
    background: 'white',
    // dates as UTC midnight ms (vega parses numbers faster than ISO strings), shown in UTC so a date stays itself
    data: { values: points.map((p) => ({ date: Date.parse(`${p.date}T00:00:00Z`), workstream: p.workstream, percent: p.percent })) },
    mark: { type: 'line', point: points.length <= 400, strokeWidth: 2 },
    encoding: {
      x: { field: 'date', type: 'temporal', title: null, scale: { type: 'utc' }, axis: { format: '%b %d', labelAngle: 0 } },
      y: { field: 'percent', type: 'quantitative', title: '% complete', scale: { domain: [0, 100] } },
      color: { field: 'workstream', type: 'nominal', title: null, legend: { orient: names > 12 ? 'bottom' : 'right', columns: names > 12 ? 5 : 1, symbolLimit: 0 } },
    },
    config: { font: 'sans-serif' },
  };
}
