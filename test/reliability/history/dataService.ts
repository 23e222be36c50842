/**
 * The history checker's source of truth: a tiny data service over loopback HTTP that every server process reads and
 * writes. Each write gets the next value of one strictly increasing version counter, so a value read anywhere says
 * which write produced it. It runs inside the load generator, whose clock then orders acknowledgements and reads.
 */
import { createServer, type Server } from 'node:http';

export interface ItemRow {
  id: string;
  version: number;
  listId: string;
  ownerId: string;
}
export interface OwnerRow {
  id: string;
  version: number;
}
export interface AccountRow {
  id: string;
  version: number;
  secret: string;
}

/** The secret only `userId`'s own PRIVATE reads may return. */
export const secretOf = (userId: string): string => `secret-of-${userId}`;

export interface DataService {
  readonly url: string;
  readonly items: Map<string, ItemRow>;
  readonly owners: Map<string, OwnerRow>;
  readonly accounts: Map<string, AccountRow>;
  /** The last version handed out. */
  readonly version: number;
  close(): Promise<void>;
}

export interface Seed {
  items: readonly { id: string; listId: string; ownerId: string }[];
  owners: readonly string[];
  users: readonly string[];
}

export async function startDataService(seed: Seed): Promise<DataService> {
  let version = 0;
  const items = new Map<string, ItemRow>();
  const owners = new Map<string, OwnerRow>();
  const accounts = new Map<string, AccountRow>();
  for (const owner of seed.owners) owners.set(owner, { id: owner, version: ++version });
  for (const user of seed.users) accounts.set(user, { id: user, version: ++version, secret: secretOf(user) });
  for (const item of seed.items) items.set(item.id, { ...item, version: ++version });

  // Rows are copied out, so nothing a caller holds changes after it was answered.
  const routes: [RegExp, (match: string[]) => unknown][] = [
    [/^GET \/item\/([^/]+)$/, ([id]) => copy(items.get(id!))],
    [/^GET \/list\/([^/]+)$/, ([listId]) => [...items.values()].filter((item) => item.listId === listId).map(copy)],
    [/^GET \/owner\/([^/]+)$/, ([id]) => copy(owners.get(id!))],
    [/^GET \/account\/([^/]+)$/, ([id]) => copy(accounts.get(id!))],
    [/^POST \/item\/([^/]+)\/update$/, ([id]) => bump(items.get(id!))],
    [/^POST \/item\/([^/]+)\/move\/([^/]+)$/, ([id, listId]) => bump(items.get(id!), (row) => (row.listId = listId!))],
    [
      /^POST \/item\/([^/]+)\/create\/([^/]+)\/([^/]+)$/,
      ([id, listId, ownerId]) => {
        if (items.has(id!)) throw new Error(`item ${id} exists`);
        const row = { id: id!, listId: listId!, ownerId: ownerId!, version: ++version };
        items.set(row.id, row);
        return copy(row);
      },
    ],
    [/^POST \/owner\/([^/]+)\/update$/, ([id]) => bump(owners.get(id!))],
    [/^POST \/account\/([^/]+)\/update$/, ([id]) => bump(accounts.get(id!))],
  ];
  function bump<T extends { version: number }>(row: T | undefined, change?: (row: T) => void): T | null {
    if (!row) return null;
    change?.(row);
    row.version = ++version;
    return copy(row);
  }

  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${req.url}`;
    for (const [pattern, handle] of routes) {
      const match = pattern.exec(route);
      if (!match) continue;
      try {
        const body = JSON.stringify(handle(match.slice(1).map(decodeURIComponent)) ?? null);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      } catch (error) {
        res.writeHead(409, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
      return;
    }
    res.writeHead(404);
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    items,
    owners,
    accounts,
    get version() {
      return version;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function copy<T>(row: T | undefined): T | null {
  return row === undefined ? null : { ...row };
}
