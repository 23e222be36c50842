/**
 * Summarizes a `.cpuprofile` (from BENCH_CPU_PROF or `node --cpu-prof`) as text, so two contenders' profiles can be
 * compared by self and inclusive time per function, or by package, over the same part of each run: a profile covers
 * start-up, warm-up and measurement, and only the measured window says what a request costs.
 *   npx tsx src/profileSummary.ts <file.cpuprofile> [--from S] [--to S] [--top N] [--match REGEX] [--by function|package]
 * Prints the busy time per second of the profile first (find the windows there), then the tables for [from, to].
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: 'Infinity' },
    top: { type: 'string', default: '30' },
    match: { type: 'string' },
    by: { type: 'string', default: 'function' },
  },
});
if (positionals.length !== 1)
  throw new Error('usage: profileSummary.ts <file.cpuprofile> [--from S] [--to S] [--top N] [--match REGEX] [--by function|package]');
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const from = Number(values.from);
const to = Number(values.to);
const top = Number(values.top);
const match = values.match ? new RegExp(values.match) : undefined;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** A readable location: node_modules packages and the library's dist by their short path. */
function where(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, '')
    .replace(/.*\/dist\//, 'dist/');
}
function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
}
function packageLabel(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith('node:')) return 'node';
  const inDist = /\/dist\/([^/]+)\//.exec(url);
  return inDist ? `cachetag ${inDist[1]}` : where(url);
}
const label = values.by === 'package' ? packageLabel : functionLabel;

const perSecond: number[] = [];
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let busy = 0;
let time = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  time += profile.timeDeltas[i]!;
  const node = byId.get(profile.samples[i]!)!;
  // A sample stands for the time until the next one.
  const micros = profile.timeDeltas[i + 1] ?? 0;
  const second = (time - profile.startTime) / 1e6;
  if (node.callFrame.functionName === '(idle)') continue;
  perSecond[Math.floor(second)] = (perSecond[Math.floor(second)] ?? 0) + micros;
  if (second < from || second > to) continue;
  busy += micros;
  const own = label(node);
  self.set(own, (self.get(own) ?? 0) + micros);
  // Each label once per sample, however often it recurs on the stack.
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
    const name = label(byId.get(id)!);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
}

console.log(`busy per second: ${perSecond.map((micros, s) => `${s}:${Math.round((micros ?? 0) / 1e4)}%`).join(' ')}`);
console.log(`window ${from}-${to} s: ${(busy / 1000).toFixed(0)} ms busy`);
for (const [title, table] of [
  ['self', self],
  ['inclusive', inclusive],
] as const) {
  console.log(`\n${title}:`);
  const rows = [...table].filter(([name]) => !match || match.test(name)).sort((a, b) => b[1] - a[1]);
  for (const [name, micros] of rows.slice(0, top)) {
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} % ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}
