/**
 * The store's invalidation script (see scripts.ts for its conventions): one
 * counter raise per shard, recorded as the version of each tag that has a record.
 */
import { prelude } from './scriptPrelude.js';

/**
 * Raises the shard's counter once and records it as the version of each
 * given tag that has a record, keeping the record's TTL and expiry. A tag
 * without a record needs no write: a missing record already reads as stale,
 * and a fill creates it at a counter above every fetch that began before
 * this invalidation. The MGET is unprotected: an invalidation that cannot
 * read its records fails (and is retried) rather than skipping them.
 * Out of memory (noeviction refuses the HINCRBY, not a DEL), it deletes the
 * tags' records and the shard's counter instead and answers 'reset' after
 * the head: the next script starts a new epoch (or fails, and its lookup is
 * served uncached, where Redis refuses to recreate the counter), so every
 * entry of the shard reads as stale, including entries whose group here an
 * unchanged counter would vouch for, and fetches already under way.
 * KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN.
 */
export const invalidateScript = `${prelude}
local e, current = currentSeq()
local n = pcallRedis('HINCRBY', KEYS[1], 'n', '1')
if type(n) == 'table' then
  if not match(tostring(n.err), '^OOM') then return n end
  for i = 2, #KEYS, 1000 do call('DEL', unpack(KEYS, i, math.min(i + 999, #KEYS))) end
  call('DEL', KEYS[1])
  return { ARGV[1], e, current, 'reset' }
end
local head = e .. format('%015d', n)
local records = mget(KEYS, 2, #KEYS, false)
for i = 2, #KEYS do
  local r = records[i - 1]
  if r then call('SET', KEYS[i], head .. sub(r, 32), 'KEEPTTL') end
end
return { ARGV[1], e, n }
`;
