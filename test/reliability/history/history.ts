/**
 * The history checker: one load generator, with one monotonic clock (this process's event loop), drives several
 * real server processes over loopback against the versioned data service, and judges every read as it completes.
 *
 * A read is stale when it began after a write was acknowledged (its GraphQL response received here) and returned an
 * older version. Judged: entity reads (`item`), nested entities (`item.owner`), scoped lists (`items(listId:)`: an
 * item created in or moved into the list before the read began must be in it, an item moved out must not be served
 * at its old version) and PRIVATE reads (`me`: never another user's data, never older than the user's last
 * acknowledged write).
 */
import { performance } from 'node:perf_hooks';
import { startDataService, secretOf, type DataService } from './dataService.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';
import { measureFault, type Sample } from './faultMeasure.js';
import type { HistoryOptions, HistoryResult } from './types.js';

export type { FaultMeasure } from './faultMeasure.js';
export type { HistoryOptions, HistoryResult, ReadStats } from './types.js';

interface Tracked {
  /** Highest version of this entity among acknowledged writes. */
  ackedVersion: number;
  /** For items: the list of that version. */
  ackedListId?: string;
  /** Acknowledged writes that may change list membership (moves, creations). */
  ackedMoves: number;
  /** Sent writes that may change list membership. */
  sentMoves: number;
  /** [version, performance.now() when acknowledged] of each acknowledged write, oldest first. */
  acks: [number, number][];
}

const LISTS = ['L1', 'L2', 'L3'];
const OWNERS = ['O1', 'O2', 'O3', 'O4'];
const USERS = ['U1', 'U2', 'U3', 'U4'];

const QUERIES = {
  item: 'query Item($id: ID!) { item(id: $id) { id version listId owner { id version } } }',
  list: 'query List($listId: ID!) { items(listId: $listId) { id version listId } }',
  me: 'query Me { me { id version secret } }',
  updateItem: 'mutation($id: ID!) { updateItem(id: $id) { id version listId ownerId } }',
  moveItem: 'mutation($id: ID!, $listId: ID!) { moveItem(id: $id, listId: $listId) { id version listId ownerId } }',
  createItem: 'mutation($id: ID!, $listId: ID!, $ownerId: ID!) { createItem(id: $id, listId: $listId, ownerId: $ownerId) { id version listId ownerId } }',
  updateOwner: 'mutation($id: ID!) { updateOwner(id: $id) { id version } }',
  updateAccount: 'mutation { updateAccount { id version secret } }',
};

/** `zero in n` supports a rate below about 3/n (the rule of three, 95 % confidence). */
export function ruleOfThree(n: number): string {
  return n > 0 ? (3 / n).toExponential(1) : 'n/a';
}

export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const itemIds = Array.from({ length: 12 }, (_, i) => `I${i + 1}`);
  const data: DataService = await startDataService({
    items: itemIds.map((id, i) => ({ id, listId: LISTS[i % LISTS.length]!, ownerId: OWNERS[i % OWNERS.length]! })),
    owners: OWNERS,
    users: USERS,
  });
  const tracked = new Map<string, Tracked>();
  for (const row of data.items.values())
    tracked.set(`item:${row.id}`, { ackedVersion: row.version, ackedListId: row.listId, ackedMoves: 1, sentMoves: 1, acks: [] });
  for (const row of data.owners.values()) tracked.set(`owner:${row.id}`, { ackedVersion: row.version, ackedMoves: 0, sentMoves: 0, acks: [] });
  for (const row of data.accounts.values()) tracked.set(`account:${row.id}`, { ackedVersion: row.version, ackedMoves: 0, sentMoves: 0, acks: [] });
  const track = (key: string): Tracked => {
    let entry = tracked.get(key);
    if (!entry) tracked.set(key, (entry = { ackedVersion: 0, ackedMoves: 0, sentMoves: 0, acks: [] }));
    return entry;
  };

  const servers: ServerProcess[] = await Promise.all(
    Array.from({ length: options.processes }, () => startServerProcess({ ...options.env, DATA_URL: data.url })),
  );
  const result: HistoryResult = {
    label: options.label,
    processes: options.processes,
    operations: 0,
    reads: 0,
    writes: 0,
    stale: 0,
    foreign: 0,
    failed: 0,
    byKind: { item: { reads: 0, stale: 0 }, owner: { reads: 0, stale: 0 }, list: { reads: 0, stale: 0 }, private: { reads: 0, stale: 0 } },
    fastPathReads: 0,
    deferredInvalidations: 0,
    storeErrors: 0,
    operationHits: 0,
    staleAgesMs: [],
    examples: [],
    readP50Ms: 0,
    readP99Ms: 0,
    durationMs: 0,
  };
  const violation = (text: string): void => {
    if (result.examples.length < 10) result.examples.push(text);
  };
  const readLatencies: number[] = [];
  const staleTimes: number[] = [];
  const timedReads: [began: number, ms: number][] = [];
  let injectedAt: number | undefined;
  let healedAt: number | undefined;
  const samples: Sample[] = [];
  const sample = async (): Promise<void> => {
    let errors = 0;
    let hits = 0;
    let rss = 0;
    let deferred = 0;
    for (const server of servers) {
      try {
        const report = (await (await fetch(server.url.replace('/graphql', '/stats'))).json()) as {
          stats: { hits: number; operationHits: number; errors?: Record<string, number>; unacknowledgedInvalidations?: number };
          rss: number;
          absorbed: Record<string, number>;
        };
        deferred += (report.absorbed.invalidate ?? 0) + (report.stats.unacknowledgedInvalidations ?? 0);
        errors += Object.values(report.stats.errors ?? {}).reduce((sum, n) => sum + n, 0);
        hits += report.stats.hits + report.stats.operationHits;
        rss += report.rss;
      } catch {
        // a busy or dead server: the next sample
      }
    }
    samples.push({ at: performance.now(), errors, hits, rss, deferred });
  };
  let created = 0;

  async function post(query: string, variables: Record<string, unknown>, userId?: string) {
    const server = pick(servers);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(userId ? { 'x-user-id': userId } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // counted as failed below
    }
    const failed = !response.ok || body.errors !== undefined || !body.data;
    if (failed) {
      result.failed++;
      violation(`failed response ${response.status}: ${text.slice(0, 200)}`);
    }
    return { data: failed ? undefined : body.data!, fastPath: response.headers.get('x-answered-by') === 'fast-path' };
  }

  /** A stale read of `trackedKey` that began at `at` and was served `got`: how long since the first write it missed was acknowledged. */
  function staleAge(trackedKey: string, got: number | undefined, at: number): void {
    const missed = track(trackedKey).acks.find(([version]) => version > (got ?? -1));
    result.staleAgesMs.push(missed ? at - missed[1] : 0);
  }

  function judgeVersion(kind: keyof HistoryResult['byKind'], key: string, snapshot: number, got: number | undefined, at: number): void {
    result.byKind[kind].reads++;
    if (got === undefined || got < snapshot) {
      result.byKind[kind].stale++;
      result.stale++;
      staleTimes.push(at);
      staleAge(`${kind === 'private' ? 'account' : kind === 'owner' ? 'owner' : 'item'}:${key}`, got, at);
      violation(`stale ${kind} ${key} at ${at.toFixed(1)} ms: got version ${got}, a write acknowledged before the read began had ${snapshot}`);
    }
  }

  async function readItem(): Promise<void> {
    const id = pick([...itemIds]);
    const itemSnapshot = track(`item:${id}`).ackedVersion;
    const ownerId = data.items.get(id)!.ownerId;
    const ownerSnapshot = track(`owner:${ownerId}`).ackedVersion;
    const began = performance.now();
    const { data: answer, fastPath } = await post(QUERIES.item, { id });
    readLatencies.push(performance.now() - began);
    timedReads.push([began, performance.now() - began]);
    if (!answer) return;
    if (fastPath) result.fastPathReads++;
    const item = answer.item as { version: number; owner: { id: string; version: number } | null } | null;
    judgeVersion('item', id, itemSnapshot, item?.version, began);
    if (item?.owner?.id === ownerId) judgeVersion('owner', ownerId, ownerSnapshot, item.owner.version, began);
  }

  async function readList(): Promise<void> {
    const listId = pick(LISTS);
    const snapshot = new Map([...itemIds].map((id) => [id, { ...track(`item:${id}`) }]));
    const began = performance.now();
    const { data: answer, fastPath } = await post(QUERIES.list, { listId });
    readLatencies.push(performance.now() - began);
    timedReads.push([began, performance.now() - began]);
    if (!answer) return;
    if (fastPath) result.fastPathReads++;
    const rows = answer.items as { id: string; version: number; listId: string }[];
    const served = new Map(rows.map((row) => [row.id, row]));
    result.byKind.list.reads++;
    let stale = false;
    let age: [string, number | undefined] | undefined;
    for (const [id, before] of snapshot) {
      const row = served.get(id);
      if (row) {
        if (row.version < before.ackedVersion || row.listId !== listId) {
          stale = true;
          age ??= [id, row.version];
          violation(`stale list ${listId} at ${began.toFixed(1)} ms: ${id} served at version ${row.version}, acknowledged ${before.ackedVersion}`);
        }
      } else if (before.ackedListId === listId && track(`item:${id}`).sentMoves === before.ackedMoves) {
        // In the list by a write acknowledged before the read began, and no move of it since: it must be there.
        stale = true;
        age ??= [id, before.ackedVersion - 1];
        violation(`stale list ${listId} at ${began.toFixed(1)} ms: ${id} (version ${before.ackedVersion}) missing`);
      }
    }
    if (stale) {
      result.byKind.list.stale++;
      result.stale++;
      staleTimes.push(began);
      staleAge(`item:${age![0]}`, age![1], began);
    }
  }

  async function readMe(): Promise<void> {
    const userId = pick(USERS);
    const snapshot = track(`account:${userId}`).ackedVersion;
    const began = performance.now();
    const { data: answer, fastPath } = await post(QUERIES.me, {}, userId);
    readLatencies.push(performance.now() - began);
    timedReads.push([began, performance.now() - began]);
    if (!answer) return;
    if (fastPath) result.fastPathReads++;
    const me = answer.me as { id: string; version: number; secret: string } | null;
    if (!me || me.id !== userId || me.secret !== secretOf(userId)) {
      result.foreign++;
      violation(`foreign PRIVATE read: ${userId} got ${JSON.stringify(me)}`);
    }
    judgeVersion('private', userId, snapshot, me?.version, began);
  }

  async function write(): Promise<void> {
    const roll = random();
    const ack = (key: string, row: { version: number; listId?: string } | null | undefined, moved: boolean) => {
      if (!row) return;
      const entry = track(key);
      if (moved) entry.ackedMoves++;
      entry.acks.push([row.version, performance.now()]);
      if (row.version > entry.ackedVersion) {
        entry.ackedVersion = row.version;
        if (row.listId !== undefined) entry.ackedListId = row.listId;
      }
    };
    if (roll < 0.3) {
      const id = pick(itemIds);
      const { data: answer } = await post(QUERIES.updateItem, { id });
      ack(`item:${id}`, answer?.updateItem as { version: number }, false);
    } else if (roll < 0.6) {
      const id = pick(itemIds);
      const listId = pick(LISTS);
      const entry = track(`item:${id}`);
      entry.sentMoves++;
      const { data: answer } = await post(QUERIES.moveItem, { id, listId });
      // A failed move may still have been applied: leave it counted as in flight forever (omissions stay excused).
      if (answer) ack(`item:${id}`, answer.moveItem as { version: number; listId: string }, true);
    } else if (roll < 0.7) {
      const id = `N${++created}`;
      const listId = pick(LISTS);
      const entry = track(`item:${id}`);
      entry.sentMoves++;
      const { data: answer } = await post(QUERIES.createItem, { id, listId, ownerId: pick(OWNERS) });
      if (answer) {
        ack(`item:${id}`, answer.createItem as { version: number; listId: string }, true);
        itemIds.push(id);
      }
    } else if (roll < 0.85) {
      const id = pick(OWNERS);
      const { data: answer } = await post(QUERIES.updateOwner, { id });
      ack(`owner:${id}`, answer?.updateOwner as { version: number }, false);
    } else {
      const userId = pick(USERS);
      const { data: answer } = await post(QUERIES.updateAccount, {}, userId);
      const me = answer?.updateAccount as { id: string; secret: string; version: number } | undefined;
      if (me && (me.id !== userId || me.secret !== secretOf(userId))) result.foreign++;
      ack(`account:${userId}`, me, false);
    }
    result.writes++;
  }

  const started = performance.now();
  let sampling: NodeJS.Timeout | undefined;
  let faultDone: Promise<void> = Promise.resolve();
  try {
    let remaining = options.operations;
    if (options.fault) {
      await sample();
      sampling = setInterval(() => void sample(), 50);
    }
    const worker = async (): Promise<void> => {
      while (remaining > 0) {
        remaining--;
        result.operations++;
        const fault = options.fault;
        if (fault?.prepare && result.operations === fault.prepareAt) faultDone = fault.prepare();
        if (fault && result.operations === fault.injectAt) {
          faultDone = faultDone.then(() => {
            injectedAt = performance.now();
            return fault.inject();
          });
        }
        if (fault && result.operations === fault.healAt) {
          faultDone = faultDone.then(async () => {
            await fault.heal();
            healedAt = performance.now();
          });
        }
        const roll = random();
        if (roll < 0.35) await readItem();
        else if (roll < 0.6) await readList();
        else if (roll < 0.75) await readMe();
        else await write();
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
    await faultDone;
    if (options.fault) {
      // Keep sampling a little after the last operation, so a late recovery is still seen.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sample();
    }
  } finally {
    if (sampling) clearInterval(sampling);
    result.durationMs = performance.now() - started;
    if (options.fault && injectedAt !== undefined) result.fault = measureFault({ samples, timedReads, staleTimes, started, injectedAt, healedAt });
    for (const server of servers) {
      try {
        const report = (await (await fetch(server.url.replace('/graphql', '/stats'))).json()) as {
          stats: { errors?: Record<string, number>; unacknowledgedInvalidations?: number; operationHits?: number };
          absorbed: Record<string, number>;
        };
        // Invalidations Redis did not acknowledge in time: counted by the cache (stats) or, before it did, by the store.
        result.deferredInvalidations += (report.absorbed.invalidate ?? 0) + (report.stats.unacknowledgedInvalidations ?? 0);
        result.operationHits += report.stats.operationHits ?? 0;
        result.storeErrors += Object.values(report.stats.errors ?? {}).reduce((sum, n) => sum + n, 0);
      } catch {
        // a server that died is already visible as failed responses
      }
    }
    await Promise.all(servers.map((server) => server.stop()));
    await data.close();
  }
  result.reads = Object.values(result.byKind).reduce((sum, kind) => sum + (kind === result.byKind.owner ? 0 : kind.reads), 0);
  readLatencies.sort((a, b) => a - b);
  result.readP50Ms = readLatencies[Math.floor(readLatencies.length * 0.5)] ?? 0;
  result.readP99Ms = readLatencies[Math.floor(readLatencies.length * 0.99)] ?? 0;
  return result;
}

/** A small seeded PRNG (mulberry32), so a history can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
