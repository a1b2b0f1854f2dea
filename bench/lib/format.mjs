// Number formatting and Markdown tables for the benchmark report.

export const ms = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s`
  : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);
export const us = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : v >= 100 ? `${v.toFixed(0)} µs` : `${v.toFixed(2)} µs`);
export const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
export const bytes = (n) => (n == null ? 'n/a' : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB`
  : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);
export const pct = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
export const ratio = (a, b) => (a == null || b == null || !Number.isFinite(a / b) ? null : a / b);
export const x = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)}x`);

export function table(columns, rows) {
  const esc = (c) => String(c ?? '').replace(/\|/g, '\\|');
  const align = columns.map((c) => (c.startsWith('>') ? '---:' : '---'));
  const head = columns.map((c) => c.replace(/^>/, ''));
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
