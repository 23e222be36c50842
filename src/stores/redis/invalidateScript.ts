/**
 * The store's invalidation script (see scripts.ts for its conventions): one
 * counter raise per shard, recorded as the version of each tag that has a record.
 */
import { INVALIDATION_LOG_LENGTH, prelude } from './scriptPrelude.js';

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
 * It also pushes the raise on the shard's log of recent invalidations (epoch, counter, the tag records named; a raise
 * with no tag named says any record may have moved), trimmed to the last INVALIDATION_LOG_LENGTH: a fill whose tag has
 * no record yet reads it to tell whether that tag moved since its lookup (fillScripts.ts). Called with the counter's key
 * alone (the migration path: one key, so no TRYAGAIN), it raises the counter and leaves a hole in the log.
 * KEYS: seq, log, tag keys (or seq alone). ARGV: nonce, candidate, lastEpoch, lastN, then channel ('' for none), publisher id, source,
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
local records = mget(KEYS, 3, #KEYS, false)
for i = 3, #KEYS do
  local r = records[i - 2]
  if r then call('SET', KEYS[i], head .. sub(r, 32), 'KEEPTTL') end
end
-- The log: which records this raise moved (none named: any may have). Without a log key (the migration path), or
-- when the push fails, the raise leaves a hole, which fills read as "cannot tell".
if KEYS[2] ~= nil then
  local item = { e, n, #KEYS == 2 }
  for i = 3, #KEYS do item[#item + 1] = KEYS[i] end
  if type(pcallRedis('LPUSH', KEYS[2], cmsgpack.pack(item))) == 'number' then
    pcallRedis('LTRIM', KEYS[2], '0', '${INVALIDATION_LOG_LENGTH - 1}')
  end
end
publish('[' .. digits(ARGV[10]) .. ',' .. cjson.encode(e) .. ',' .. format('%d', n) .. ']', false)
return { ARGV[1], e, n }
`;
