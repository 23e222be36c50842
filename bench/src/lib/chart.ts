/**
 * A hand-written SVG of the ratios: one row of panels per workload, one bar
 * per contender, on a log₂ axis centred on 1 (the baseline), so "twice as
 * fast" and "half as fast" are bars of the same length on either side.
 * Left panel: requests/s (right of 1 is better). Right panel: data-source
 * calls per request (left of 1 is better).
 */
import type { BenchReport, Ratios } from './report.js';

const labelWidth = 170;
const panelWidth = 360;
const panelGap = 40;
const rowHeight = 20;
const barHeight = 13;
const workloadHeader = 46;
const margin = 16;
const titleHeight = 58;

const familyColours: Record<string, string> = {
  apollo: '#7a7f87',
  yoga: '#d6417a',
  mercurius: '#e0892b',
  cachetag: '#2563eb',
};

interface Metric {
  readonly title: string;
  readonly pick: (ratios: Ratios) => number | null;
}

const metrics: readonly Metric[] = [
  { title: 'requests/s vs baseline (higher is better)', pick: (r) => r.requestsPerSecond },
  { title: 'data-source calls/request vs baseline (lower is better)', pick: (r) => r.dataSourceCallsPerRequest },
];

export function renderChart(report: BenchReport): string {
  const contenders = report.contenders.map((c) => c.id);
  const panelHeight = workloadHeader + contenders.length * rowHeight + 24;
  const width = margin * 2 + labelWidth + metrics.length * panelWidth + (metrics.length - 1) * panelGap;
  const height = titleHeight + report.workloads.length * panelHeight + margin;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    text(margin, 24, `cachetag benchmark${report.mode === 'smoke' ? ' (smoke run)' : ''}: ratios to ${report.settings.baseline}, one run`, {
      size: 16,
      weight: 'bold',
    }),
  );
  out.push(
    text(
      margin,
      44,
      `${report.machine.cpuModel}, ${report.machine.cores} cores, Node ${report.machine.node}; ${report.settings.durationS} s per run, ${report.settings.latencyMs} ms per data-source call; ${report.generatedAt}`,
      { size: 11, fill: '#555' },
    ),
  );

  report.workloads.forEach((workload, w) => {
    const top = titleHeight + w * panelHeight;
    out.push(text(margin, top + 16, workload.id, { size: 14, weight: 'bold' }));
    metrics.forEach((metric, m) => {
      const left = margin + labelWidth + m * (panelWidth + panelGap);
      const values = contenders.map((id) => {
        const run = report.runs.find((r) => r.contender === id && r.workload === workload.id);
        return run?.ratios ? metric.pick(run.ratios) : null;
      });
      const [low, high] = domain(values);
      const x = (value: number) => left + ((Math.log2(Math.max(value, 2 ** low)) - low) / (high - low)) * panelWidth;
      const axisTop = top + workloadHeader - 10;
      const axisBottom = axisTop + contenders.length * rowHeight + 4;
      out.push(text(left, top + 32, metric.title, { size: 11, fill: '#333' }));
      // At most about eight labels per axis; 1× always has one.
      const labelEvery = Math.ceil((high - low + 1) / 8);
      for (let exponent = low; exponent <= high; exponent++) {
        const tx = x(2 ** exponent);
        out.push(
          `<line x1="${tx.toFixed(1)}" y1="${axisTop}" x2="${tx.toFixed(1)}" y2="${axisBottom}" stroke="${exponent === 0 ? '#222' : '#e3e3e3'}" stroke-width="${exponent === 0 ? 1.2 : 1}"/>`,
        );
        if (exponent % labelEvery === 0) out.push(text(tx, axisBottom + 12, tickLabel(exponent), { size: 10, fill: '#666', anchor: 'middle' }));
      }
      contenders.forEach((id, c) => {
        const y = axisTop + 2 + c * rowHeight;
        if (m === 0) out.push(text(margin, y + barHeight - 2, id, { size: 12 }));
        const value = values[c];
        if (value === null || value === undefined) {
          const run = report.runs.find((r) => r.contender === id && r.workload === workload.id);
          out.push(text(x(1) + 4, y + barHeight - 2, run ? (run.status === 'ok' ? 'n/a' : run.status) : 'not run', { size: 10, fill: '#999' }));
          return;
        }
        const from = x(1);
        const to = x(value);
        const colour = familyColours[id.split('-')[0]!] ?? '#444';
        out.push(
          `<rect x="${Math.min(from, to).toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(to - from)).toFixed(1)}" height="${barHeight}" fill="${colour}"/>`,
        );
        const label = value === 0 ? '0' : value < 2 ** low ? `<${tickLabel(low)}` : `${formatRatio(value)}×`;
        const labelX = to >= from ? to + 4 : to - 4;
        out.push(text(labelX, y + barHeight - 2, label, { size: 10, fill: '#222', anchor: to >= from ? 'start' : 'end' }));
      });
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Whole powers of two around the values, always including 1; zero is drawn at the low end. */
function domain(values: readonly (number | null | undefined)[]): [number, number] {
  const finite = values.filter((v): v is number => typeof v === 'number' && v > 0 && Number.isFinite(v));
  let low = Math.min(-1, ...finite.map((v) => Math.floor(Math.log2(v))));
  let high = Math.max(1, ...finite.map((v) => Math.ceil(Math.log2(v))));
  if (values.some((v) => v === 0)) low -= 1;
  low = Math.max(low, -8);
  high = Math.min(high, 8);
  return [low, high];
}

function formatRatio(value: number): string {
  if (value >= 10) return value.toFixed(1);
  if (value >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

function tickLabel(exponent: number): string {
  if (exponent >= 0) return `${2 ** exponent}×`;
  return `1/${2 ** -exponent}`;
}

function text(
  x: number,
  y: number,
  content: string,
  style: { size?: number; weight?: string; fill?: string; anchor?: 'start' | 'middle' | 'end' } = {},
): string {
  const attributes = [`x="${typeof x === 'number' ? x.toFixed(1) : x}"`, `y="${y}"`];
  if (style.size) attributes.push(`font-size="${style.size}"`);
  if (style.weight) attributes.push(`font-weight="${style.weight}"`);
  if (style.fill) attributes.push(`fill="${style.fill}"`);
  if (style.anchor) attributes.push(`text-anchor="${style.anchor}"`);
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

function escapeXml(content: string): string {
  return content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
