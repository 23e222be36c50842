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
 * It publishes what it did on the invalidation channel (invalidationBroadcast.ts), in the same script: a message is
 * sent exactly when a raise (or a reset) happened, retries included, with no extra round trip. PUBLISH names no key,
 * so it runs in a script confined to one slot; on a cluster Redis forwards it to every node. A failed PUBLISH does
 * not fail the invalidation (receivers catch the lost message as a gap).
 * KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN, then channel ('' for none), publisher id, source,
 * HLC milliseconds, HLC counter, shard index, and the tags (as named in the message).
 */
export const invalidateScript = `${prelude}
local function digits(s)
  if type(s) == 'string' and match(s, '^%d+$') then return s end
  return '0'
end
local function publish(shards, reset)
  if ARGV[5] == nil or ARGV[5] == '' then return end
  local tags = {}
  for i = 11, #ARGV do tags[#tags + 1] = cjson.encode(ARGV[i]) end
  pcallRedis('PUBLISH', ARGV[5], '{"from":' .. cjson.encode(ARGV[6]) .. ',"source":' .. cjson.encode(ARGV[7]) ..
    ',"hlc":[' .. digits(ARGV[8]) .. ',' .. digits(ARGV[9]) .. '],"tags":[' .. table.concat(tags, ',') ..
    '],"shards":[' .. shards .. ']' .. (reset and ',"reset":true' or '') .. '}')
end
local e, current = currentSeq()
local n = pcallRedis('HINCRBY', KEYS[1], 'n', '1')
if type(n) == 'table' then
  if not match(tostring(n.err), '^OOM') then return n end
  for i = 2, #KEYS, 1000 do call('DEL', unpack(KEYS, i, math.min(i + 999, #KEYS))) end
  call('DEL', KEYS[1])
  publish('', true)
  return { ARGV[1], e, current, 'reset' }
end
local head = e .. format('%015d', n)
local records = mget(KEYS, 2, #KEYS, false)
for i = 2, #KEYS do
  local r = records[i - 1]
  if r then call('SET', KEYS[i], head .. sub(r, 32), 'KEEPTTL') end
end
publish('[' .. digits(ARGV[10]) .. ',' .. cjson.encode(e) .. ',' .. format('%d', n) .. ']', false)
return { ARGV[1], e, n }
`;
