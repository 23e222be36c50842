/** The one HTTP call every forwarder makes: a JSON POST whose non-2xx answer is an error (so it is retried). */
import { CacheTagError, invalidOption } from '../errors.js';

/** POSTs `body` as JSON; resolves to the parsed answer (undefined when empty or not JSON), rejects on a non-2xx status. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal, endpoint: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  const text = await response.text();
  if (!response.ok) {
    throw new CacheTagError('INVALIDATION_FORWARD_FAILED', `${endpoint} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks an http(s) URL option; returns it without a trailing slash. */
export function urlOption(factory: string, option: string, value: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw invalidOption(factory, option, 'an http:// or https:// URL', value);
  return (value as string).replace(/\/+$/, '');
}

/** Checks a non-empty string option. */
export function stringOption(factory: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidOption(factory, option, 'a non-empty string', value);
  return value;
}

/** `items` in chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
