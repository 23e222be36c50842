/**
 * The store's write scripts (see scripts.ts for their conventions): the fill
 * of one shard, the touch of tags held by other shards, and the fenced last
 * step of a fill written in chunks.
 */
import { prelude } from './scriptPrelude.js';

/**
 * Writes entries of one shard whose local tags are fresh: one MGET of the
 * records of every local tag of the batch, record writes only where needed
 * (see touchTags), one SET per entry written. The tag records are declared
 * too (after the entries), so that during a slot migration Redis redirects
 * or retries the script instead of letting it create a record on the node
 * that is giving the slot away.
 * A missing record is created at the current counter, which drops every entry
 * fetched before the shard last moved, unless the shard's log of recent
 * invalidations (readLog) shows that none of them named it: it is then
 * created at the lowest fetch position of the entries carrying it, since no
 * invalidation of that tag came after. So the first fill of a new tag lands
 * although other tags of its shard were invalidated while it was fetched.
 * KEYS: seq, log, entry keys, tag keys. ARGV: nonce, candidate, lastEpoch,
 * lastN, shard, shardCount, tagTtlMarginMs, entryCount, then per entry:
 * frame, ttlMs. Per entry: 1 written, 0 dropped.
 */
export const fillScript = `${prelude}
local e, n = currentSeq()
local shard = tonumber(ARGV[5])
local k = tonumber(ARGV[6])
local margin = tonumber(ARGV[7])
local count = tonumber(ARGV[8])
local prefix = tagKeyPrefix()

local out = { ARGV[1], e, n }
local entries = {}
local tagKeys, positionOf, need = {}, {}, {}
for i = 1, count do
  out[i + 3] = 0
  local frame = ARGV[7 + i * 2]
  local ttl = tonumber(ARGV[8 + i * 2])
  if ttl ~= nil and ttl > 0 then
    local g = readFrame(frame, k, shard, #frame)
    local positions = g ~= nil and collectTags(g, prefix, tagKeys, positionOf)
    if positions then
      for _, p in ipairs(positions) do need[p] = math.max(need[p] or 0, ttl) end
      entries[#entries + 1] = { i, frame, ARGV[8 + i * 2], g, positions }
    end
  end
end

-- The lowest fetch position of the entries that can land, per tag: what a missing record may be created at.
local floor, lowest = {}, n
for _, x in ipairs(entries) do
  local g = x[4]
  if g[2] == e and g[3] <= n then
    for _, p in ipairs(x[5]) do
      if floor[p] == nil or g[3] < floor[p] then floor[p] = g[3] end
    end
    if g[3] < lowest then lowest = g[3] end
  end
end
local named
local function createdAt(p)
  if floor[p] == nil or floor[p] >= n then return n end
  if named == nil then named = readLog(KEYS[2], e, n, lowest) or false end
  if named == false or named[tagKeys[p]] then return n end
  return floor[p]
end
local versions = touchTags(tagKeys, 1, #tagKeys, need, e, n, margin, createdAt)
for _, x in ipairs(entries) do
  local g = x[4]
  local fresh = g[2] == e and g[3] <= n
  for _, p in ipairs(x[5]) do
    if versions[p] > g[3] then fresh = false end
  end
  if fresh then
    call('SET', KEYS[x[1] + 2], x[2], 'PX', x[3])
    out[x[1] + 3] = 1
  end
end
return out
`;

/**
 * The last step of a fill too large for one bounded script (see
 * MAX_TAGS_PER_SCRIPT): its tag records were checked and prepared by
 * touchTags calls, in chunks, that all saw the shard at epoch ARGV[5] and
 * counter ARGV[6]. The entries are written only if the counter has not
 * moved since (no invalidation in between), so the versions those chunks read
 * still hold; otherwise nothing is written (the next fill lands).
 * KEYS: seq, entry keys. ARGV: nonce, candidate, lastEpoch, lastN, epoch,
 * counter, then per entry: frame, ttlMs. Per entry: 1 written, 0 dropped.
 */
export const fillFencedScript = `${prelude}
local e, n = currentSeq()
local out = { ARGV[1], e, n }
local same = e == ARGV[5] and format('%d', n) == ARGV[6]
for i = 2, #KEYS do
  out[i + 2] = 0
  if same then
    call('SET', KEYS[i], ARGV[5 + (i - 1) * 2], 'PX', ARGV[6 + (i - 1) * 2])
    out[i + 2] = 1
  end
end
return out
`;

/**
 * Prepares the tags an entry has in a shard other than its own before the
 * entry is written: creates missing records, renews those about to expire,
 * returns versions (see touchTags).
 * KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN,
 * tagTtlMarginMs, then per tag: the longest TTL of the entries it guards.
 */
export const touchTagsScript = `${prelude}
local e, n = currentSeq()
local need = {}
for i = 2, #KEYS do need[i - 1] = tonumber(ARGV[i + 4]) end
local versions = touchTags(KEYS, 2, #KEYS, need, e, n, tonumber(ARGV[5]))
local out = { ARGV[1], e, n }
for i = 2, #KEYS do out[i + 2] = versions[i - 1] end
return out
`;
