/** What the numbers were measured on, recorded beside them. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchDir, repoDir } from './paths.js';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAverageAtStart: number;
  readonly redisVersion: string | null;
  readonly gitCommit: string | null;
}

export function describeMachine(redisVersion: string | null): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    redisVersion,
    gitCommit: gitCommit(),
  };
}

/** Installed versions of the packages under test. */
export function packageVersions(names: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of names) {
    try {
      out[name] = (JSON.parse(readFileSync(join(benchDir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[name] = null;
    }
  }
  return out;
}

export const packagesUnderTest = [
  'cachetag',
  '@apollo/server',
  '@apollo/server-plugin-response-cache',
  'graphql',
  'graphql-yoga',
  '@graphql-yoga/plugin-response-cache',
  '@envelop/response-cache',
  '@envelop/response-cache-redis',
  'mercurius',
  'mercurius-cache',
  'fastify',
  'ioredis',
  'dataloader',
  'autocannon',
  'undici',
] as const;

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
