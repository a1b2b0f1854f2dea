// Chooses what the SVG summary shows, from the sections' raw data: code size overhead,
// normal-path slowdown and SQLite run time, one bar per tool.

const LABELS = {
  ours: 'wasm-asyncify',
  'ours-Os': 'wasm-asyncify -Os',
  'ours-O3': 'wasm-asyncify -O3',
  'binaryen-O2': 'wasm-opt -O2 --asyncify',
  'binaryen-O0': 'wasm-opt --asyncify (-O0)',
  sync: 'no Asyncify (sync)',
  jspi: 'JSPI',
  'sync-O2': 'wasm-opt -O2 only (sync)',
  'O2-only': 'wasm-opt -O2 only',
};
// Colour order for the chart: each series keeps its colour across panels.
export const SERIES_ORDER = Object.values(LABELS);

function grouped(rows, groupKey, seriesKey, value, text) {
  const groups = new Map();
  for (const r of rows) {
    if (!groups.has(r[groupKey])) groups.set(r[groupKey], []);
    groups.get(r[groupKey]).push({ series: LABELS[r[seriesKey]] ?? r[seriesKey], value: value(r), text: text?.(r) });
  }
  return [...groups].map(([label, bars]) => ({ label, bars }));
}

const seriesOf = (groups) => [...new Set(groups.flatMap((g) => g.bars.map((b) => b.series)))];

export function summaryPanels(sections) {
  const byId = Object.fromEntries(sections.map((s) => [s.id, s]));
  const panels = [];
  if (byId.size) {
    const rows = byId.size.data.filter((r) => r.ok && r.options === 'default');
    const groups = grouped(rows, 'input', 'tool', (r) => r.overhead * 100);
    panels.push({ title: 'Code size overhead, default options (% over input, lower is better)', unit: '%', groups, series: seriesOf(groups) });
  }
  if (byId.transform) {
    const rows = byId.transform.data.filter((r) => r.ok && r.options === 'default');
    const groups = grouped(rows, 'input', 'tool', (r) => r.ms / 1000, (r) => `${(r.ms / 1000).toFixed(2)} s`);
    panels.push({ title: 'Transform time, default options (s, lower is better)', unit: ' s', groups, series: seriesOf(groups) });
  }
  if (byId['normal-path']) {
    const rows = byId['normal-path'].data.filter((r) => r.variant !== 'baseline');
    const groups = grouped(rows, 'workload', 'variant', (r) => r.slowdown * 100);
    panels.push({ title: 'Normal-path slowdown vs untransformed (CPU time, %, lower is better)', unit: '%', groups, series: seriesOf(groups) });
  }
  if (byId.sqlite) {
    const rows = byId.sqlite.data.map((r) => ({ ...r, group: r.engine }));
    const groups = grouped(rows, 'group', 'variant', (r) => r.ms, (r) => `${r.ms.toFixed(0)} ms`);
    panels.push({ title: 'SQLite workload over an async VFS (ms, lower is better)', unit: ' ms', groups, series: seriesOf(groups) });
  }
  return panels;
}
