/**
 * The report of one run: raw figures for every contender × workload, each
 * also as a ratio to the baseline (apollo-nocache) measured in the same run,
 * written as JSON (everything) and Markdown (the ratios people read).
 */
import type { InvalidationKind, ReadYourWrites } from '../contenders/registry.js';
import type { CounterTree } from '../contenders/shared/serve.js';
import type { LatencySummary } from './latency.js';
import type { MachineInfo } from './machine.js';

export interface Figures {
  readonly requests: number;
  readonly elapsedS: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** GraphQL requests the contender counted in the measured window. */
  readonly serverRequests: number;
  readonly dataSourceCallsPerRequest: number;
  readonly dataSourceKeysPerRequest: number;
  /** CPU the contender's process used per request (user + system), in milliseconds: what the server costs, whatever the client could send. */
  readonly serverCpuMsPerRequest: number;
  /**
   * Redis commands per request as Redis counted them (INFO commandstats delta over the window): includes the
   * calls scripts make inside Redis and any other client's traffic on the shared server. Null without Redis.
   */
  readonly redisCommandsPerRequest: number | null;
  /** Redis commands per request the contender's own clients sent (an EVALSHA is one). Null without Redis. */
  readonly redisCommandsSentPerRequest: number | null;
  readonly redisCommands: Record<string, number> | null;
  /** The cache library's own counters over the window, when it reports them (cachetag: hits, misses, fills, store errors…). */
  readonly libraryStats: CounterTree | null;
  readonly mutations: number;
  readonly checks: number;
  readonly staleReads: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly staleSamples: readonly string[];
}

/** Each figure divided by the baseline's figure for the same workload in the same run. */
export interface Ratios {
  readonly requestsPerSecond: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly dataSourceCallsPerRequest: number | null;
}

export type RunStatus = 'ok' | 'failed' | 'unavailable';

export interface RunRecord {
  readonly contender: string;
  readonly workload: string;
  readonly status: RunStatus;
  readonly reason?: string;
  readonly figures?: Figures;
  ratios?: Ratios;
}

export interface BenchReport {
  readonly generatedAt: string;
  readonly mode: 'full' | 'smoke';
  readonly settings: {
    readonly durationS: number;
    readonly warmupS: number;
    readonly rounds: number;
    readonly connections: number;
    readonly latencyMs: number;
    readonly seed: number;
    readonly baseline: string;
  };
  readonly machine: MachineInfo;
  readonly versions: Record<string, string | null>;
  readonly contenders: readonly {
    id: string;
    library: string;
    invalidation: InvalidationKind;
    readYourWrites: ReadYourWrites;
    freshnessNote: string;
    usesRedis: boolean;
  }[];
  readonly workloads: readonly { id: string; description: string }[];
  readonly runs: RunRecord[];
  readonly notes: readonly string[];
  smoke?: { passed: boolean; failures: string[]; warnings: string[] };
}

export function addRatios(runs: RunRecord[], baseline: string): void {
  for (const run of runs) {
    const base = runs.find((other) => other.contender === baseline && other.workload === run.workload && other.status === 'ok')?.figures;
    const mine = run.figures;
    if (run.status !== 'ok' || mine === undefined || base === undefined) continue;
    run.ratios = {
      requestsPerSecond: ratio(mine.requestsPerSecond, base.requestsPerSecond),
      p50: ratio(mine.latencyMs.p50, base.latencyMs.p50),
      p99: ratio(mine.latencyMs.p99, base.latencyMs.p99),
      dataSourceCallsPerRequest: ratio(mine.dataSourceCallsPerRequest, base.dataSourceCallsPerRequest),
    };
  }
}

function ratio(value: number, base: number): number | null {
  return base > 0 && Number.isFinite(value) ? value / base : null;
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const lines: string[] = [];
  lines.push(`# cachetag benchmark: ${report.mode === 'smoke' ? 'smoke run' : 'results'}`);
  lines.push('');
  lines.push(
    `Every timing below is a ratio to \`${settings.baseline}\` (Apollo Server without a cache) on the same workload in the same run: ` +
      'requests/s above 1 is faster, latency below 1 is faster, data-source calls below 1 is less backend work. ' +
      'Absolute timings depend on the machine and on whatever else ran on it; compare ratios from one run only.',
  );
  lines.push('');
  lines.push(`- Generated: ${report.generatedAt}${machine.gitCommit ? ` at commit ${machine.gitCommit}` : ''}`);
  lines.push(
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, ${machine.os}; Node ${machine.node}; Redis ${machine.redisVersion ?? 'not used'}`,
  );
  lines.push(`- Load average when the run started: ${machine.loadAverageAtStart}`);
  lines.push(
    `- Settings: ${settings.durationS} s per workload per contender after ${settings.warmupS} s of warm-up` +
      `${settings.rounds > 1 ? `, ${settings.rounds} interleaved rounds (medians)` : ''}, ${settings.connections} connections, ` +
      `${settings.latencyMs} ms simulated latency per data-source call, seed ${settings.seed}`,
  );
  lines.push(
    `- Versions: ${Object.entries(report.versions)
      .map(([name, version]) => `${name} ${version ?? '(missing)'}`)
      .join(', ')}`,
  );
  lines.push('');
  lines.push('## Contenders');
  lines.push('');
  lines.push('| contender | cache library | invalidation | read-your-writes | why |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const c of report.contenders) {
    lines.push(`| ${c.id} | ${c.library} | ${c.invalidation} | ${c.readYourWrites} | ${escapeCell(c.freshnessNote)} |`);
  }
  lines.push('');
  for (const workload of report.workloads) {
    lines.push(`## ${workload.id}`);
    lines.push('');
    lines.push(workload.description);
    lines.push('');
    lines.push(
      '| contender | invalidation | requests/s × | p50 × | p99 × | data-source calls/request (×) | Redis commands sent/request | Redis commands executed/request | stale reads / checks | errors |',
    );
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const contender of report.contenders) {
      const run = report.runs.find((r) => r.contender === contender.id && r.workload === workload.id);
      if (run === undefined) continue;
      if (run.status !== 'ok' || run.figures === undefined) {
        lines.push(`| ${contender.id} | ${contender.invalidation} | ${run.status}: ${escapeCell(firstLine(run.reason ?? ''))} | | | | | | | |`);
        continue;
      }
      const f = run.figures;
      const r = run.ratios;
      lines.push(
        `| ${contender.id} | ${contender.invalidation} | ${times(r?.requestsPerSecond)} | ${times(r?.p50)} | ${times(r?.p99)} | ` +
          `${fixed(f.dataSourceCallsPerRequest)} (${times(r?.dataSourceCallsPerRequest)}) | ${optional(f.redisCommandsSentPerRequest)} | ${optional(f.redisCommandsPerRequest)} | ` +
          `${f.checks === 0 ? '–' : `${f.staleReads} / ${f.checks}`} | ${f.errors} |`,
      );
    }
    lines.push('');
  }
  if (report.notes.length > 0) {
    lines.push('## Notes');
    lines.push('');
    for (const note of report.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  if (report.smoke) {
    lines.push(`## Smoke checks: ${report.smoke.passed ? 'passed' : 'FAILED'}`);
    lines.push('');
    for (const failure of report.smoke.failures) lines.push(`- FAIL ${failure}`);
    for (const warning of report.smoke.warnings) lines.push(`- warn ${warning}`);
    lines.push('');
  }
  return lines.join('\n');
}

function times(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

function optional(value: number | null): string {
  return value === null ? '–' : fixed(value);
}

function fixed(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
