// Writes the benchmark summary as one SVG of grouped horizontal bar panels, generated directly
// (no plotting dependency). Each panel: groups (inputs) of bars, one per series (tool). A series
// keeps its colour in every panel; negative values extend left of a zero line.

const PALETTE = ['#e8590c', '#1971c2', '#868e96', '#2f9e44', '#7048e8', '#0c8599', '#c2255c', '#ced4da'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const BAR = 12;
const GAP = 8;
const LABEL_W = 150;
const PLOT_W = 470;
const WIDTH = LABEL_W + PLOT_W + 100;
const LEGEND_PER_ROW = 4;
const LEGEND_STEP = (WIDTH - 20) / LEGEND_PER_ROW;

function panel({ title, unit, groups, series }, top, colorOf) {
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter(Number.isFinite);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const zero = LABEL_W + (-lo / span) * PLOT_W;
  const parts = [`<text x="10" y="${top + 16}" font-weight="bold">${esc(title)}</text>`];
  let y = top + 28;
  series.forEach((s, i) => {
    const lx = 10 + (i % LEGEND_PER_ROW) * LEGEND_STEP;
    const ly = y + Math.floor(i / LEGEND_PER_ROW) * 16;
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${colorOf(s)}"/>`,
      `<text x="${lx + 14}" y="${ly + 9}" font-size="11">${esc(s)}</text>`);
  });
  y += Math.ceil(series.length / LEGEND_PER_ROW) * 16 + 6;
  const plotTop = y;
  for (const g of groups) {
    const h = g.bars.length * BAR;
    parts.push(`<text x="${LABEL_W - 8}" y="${y + h / 2 + 4}" text-anchor="end" font-size="11">${esc(g.label)}</text>`);
    g.bars.forEach((b, i) => {
      const by = y + i * BAR;
      if (!Number.isFinite(b.value)) {
        parts.push(`<text x="${zero + 4}" y="${by + 9}" font-size="10">n/a</text>`);
        return;
      }
      const w = (Math.abs(b.value) / span) * PLOT_W;
      const x = b.value < 0 ? zero - w : zero;
      const label = esc(b.text ?? `${b.value.toFixed(1)}${unit}`);
      parts.push(`<rect x="${x.toFixed(1)}" y="${by}" width="${Math.max(w, 0.5).toFixed(1)}" height="${BAR - 2}" fill="${colorOf(b.series)}"/>`,
        `<text x="${(b.value < 0 ? zero : x + w) + 4}" y="${by + 9}" font-size="10">${label}</text>`);
    });
    y += h + GAP;
  }
  parts.push(`<line x1="${zero}" y1="${plotTop - 2}" x2="${zero}" y2="${y - GAP + 2}" stroke="#333" stroke-width="0.7"/>`);
  return { svg: parts.join('\n'), bottom: y + 10 };
}

// order: series names in the order they should take colours (first = the tool under test).
export function renderChart({ heading, lines, panels, order = [] }) {
  const colors = new Map(order.map((s, i) => [s, PALETTE[i % PALETTE.length]]));
  const colorOf = (s) => {
    if (!colors.has(s)) colors.set(s, PALETTE[colors.size % PALETTE.length]);
    return colors.get(s);
  };
  let y = 30 + lines.length * 13 + 8;
  const body = [];
  for (const p of panels.filter((p) => p.groups.length)) {
    const r = panel(p, y, colorOf);
    body.push(r.svg);
    y = r.bottom;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(heading)}</text>`,
    ...lines.map((l, i) => `<text x="10" y="${36 + i * 13}" font-size="10" fill="#555">${esc(l)}</text>`),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
