/**
 * The `--url` target of the operator commands: a server's admin endpoints (`cacheAdmin` in `cachetag/http`), the only
 * way to reach a memory store, which lives inside the server. `--token` (or CACHETAG_ADMIN_TOKEN) is sent as a bearer
 * token. Failures become messages that say what the server answered.
 */

export interface AdminFlags {
  url?: string | undefined;
  token?: string | undefined;
}

/** How long a request to the admin endpoints may take. */
export const adminTimeoutMs = 10_000;

function endpoint(flags: AdminFlags, path: string, params: Record<string, string | readonly string[]> = {}): URL {
  const url = new URL(flags.url!.replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(params)) for (const v of typeof value === 'string' ? [value] : value) url.searchParams.append(name, v);
  return url;
}

function headers(flags: AdminFlags): Record<string, string> {
  const token = flags.token ?? process.env.CACHETAG_ADMIN_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** An admin answer: its status and JSON body. */
export interface AdminAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** Sends a request; rejects when the server cannot be reached, answers non-JSON, or answers an error other than `accept`. */
export async function adminRequest<T>(
  flags: AdminFlags,
  path: string,
  init: { params?: Record<string, string | readonly string[]>; body?: unknown; accept?: readonly number[] } = {},
): Promise<AdminAnswer<T>> {
  const url = endpoint(flags, path, init.params);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: { ...headers(flags), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(adminTimeoutMs),
    });
  } catch (error) {
    throw new Error(`could not reach the admin endpoint ${url.origin}${url.pathname} (${causeOf(error)}).`, { cause: error });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url.origin}${url.pathname} answered ${response.status} without JSON: is --url the cacheAdmin mount path?`);
  }
  if (!response.ok && !init.accept?.includes(response.status)) {
    const message = (body as { error?: unknown }).error;
    throw new Error(`${url.origin}${url.pathname} answered ${response.status}: ${typeof message === 'string' ? message : text}`);
  }
  return { status: response.status, body: body as T };
}

/** Reads the Server-Sent Events of `path`, handing each `data:` line's JSON to `onEvent`, until `signal` aborts or the server ends. */
export async function adminEvents(
  flags: AdminFlags,
  path: string,
  onEvent: (event: unknown) => void,
  signal?: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const url = endpoint(flags, path);
  let response: Response;
  try {
    response = await fetch(url, { headers: headers(flags), ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) return;
    throw new Error(`could not reach the admin endpoint ${url.origin}${url.pathname} (${causeOf(error)}).`, { cause: error });
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    throw new Error(`${url.origin}${url.pathname} answered ${response.status}: ${text.trim()}`);
  }
  onOpen?.();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) !== -1) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (data) onEvent(JSON.parse(data));
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
