/**
 * The store's read scripts (see scripts.ts for their conventions): the lookup
 * of entries, the tag records of other shards, the shard's position and the
 * epoch check each connection runs before it is used.
 */
import { FRAME_META_OFFSET, MAX_META_BYTES } from './entryFrame.js';
import { prelude } from './scriptPrelude.js';

/**
 * Reads entries of one shard and checks their local group (the entry's
 * position in this shard and its tags held here; every entry has one): one
 * bounded GETRANGE per entry, then one MGET of the records of every tag the
 * fresh-looking entries carry. The GETRANGE reads at most one byte more than
 * the largest valid frame, so an oversized value is recognised without being
 * copied whole.
 * KEYS: seq, entry keys. ARGV: nonce, candidate, lastEpoch, lastN, shard,
 * shardCount, maxValueBytes, withTtl ('1' or absent).
 * Per key: 0 = absent (no key, or not a string), 1 = stale (stale, malformed
 * or oversized), or the frame as stored when the local group is fresh (the
 * client slices the value: a copy fewer in Lua). With withTtl (the
 * in-process tier, which must not hold a value past its TTL), then per key
 * the PTTL of each entry returned (-1 for the others): one more command per
 * value returned, none per value held.
 */
export const lookupScript = `${prelude}
local e, n = currentSeq()
local shard = tonumber(ARGV[5])
local k = tonumber(ARGV[6])
local maxValue = tonumber(ARGV[7])
local withTtl = ARGV[8] == '1'
local prefix = tagKeyPrefix()
local lastByte = format('%d', ${FRAME_META_OFFSET + MAX_META_BYTES} + maxValue)
-- The tags of one entry are distinct; only several entries need deduplication.
local positionOf = #KEYS > 2 and {} or nil

local out = { ARGV[1], e, n }
local candidates = {}
local tagKeys = {}
for i = 2, #KEYS do
  local frame = pcallRedis('GETRANGE', KEYS[i], '0', lastByte)
  if type(frame) ~= 'string' or frame == '' then
    out[i + 2] = 0
  else
    out[i + 2] = 1
    local g = readFrame(frame, k, shard, maxValue)
    local positions = g ~= nil and g[2] == e and g[3] <= n and collectTags(g, prefix, tagKeys, positionOf)
    if positions then candidates[#candidates + 1] = { i + 2, frame, g[3], positions } end
  end
end

local m = #KEYS - 1
if withTtl then
  for i = 2, #KEYS do out[i + 2 + m] = -1 end
end
local records = mget(tagKeys, 1, #tagKeys, true)
local versions = {}
for p = 1, #tagKeys do versions[p] = versionOf(records[p], e) or false end
for _, c in ipairs(candidates) do
  local fresh = true
  for _, p in ipairs(c[4]) do
    local v = versions[p]
    -- "not (v <= fetch)" so that a version that is not a number reads as stale
    if v == false or not (v <= c[3]) then
      fresh = false
      break
    end
  end
  if fresh then
    out[c[1]] = c[2]
    if withTtl then
      local ttl = pcallRedis('PTTL', KEYS[c[1] - 2])
      out[c[1] + m] = type(ttl) == 'number' and ttl or -1
    end
  end
end
return out
`;

/**
 * Run by each connection as it becomes ready, before the store uses it: a
 * counter record created by another run of the server (a restart, possibly
 * from an older snapshot that lacks acknowledged invalidations, or a
 * promoted replica) starts a new epoch, so nothing written before the
 * restart is trusted. A record of this run is kept (its usual checks apply).
 * KEYS: seq. ARGV: nonce, candidate, lastEpoch, lastN.
 */
export const checkEpochScript = `${prelude}
local r = pcallRedis('HGET', KEYS[1], 'r')
if type(r) ~= 'string' or r ~= runId() then call('DEL', KEYS[1]) end
local e, n = currentSeq()
return { ARGV[1], e, n }
`;

/** Reads (or starts) the shard's epoch and counter. KEYS: seq. ARGV: nonce, candidate, lastEpoch, lastN. */
export const readSeqScript = `${prelude}
local e, n = currentSeq()
return { ARGV[1], e, n }
`;

/**
 * The strict in-process tier's catch-up: the shard's position and which tags
 * were invalidated since the position the tier last caught up to, read from
 * the shard's log of recent raises (readLog): no value bytes, no tag records.
 * KEYS: seq, log. ARGV: nonce, candidate, lastEpoch, lastN, fromEpoch, fromN.
 * Answers the head, then 1 and the tags named (without their key prefix), or
 * 0 when the log cannot tell (another epoch, a raise missing from the log or
 * naming no tags, more raises than it keeps): the tier then drops everything.
 */
export const raisedSinceScript = `${prelude}
local e, n = currentSeq()
local out = { ARGV[1], e, n, 0 }
local from = tonumber(ARGV[6])
if ARGV[5] ~= e or from == nil or from > n then return out end
local named = readLog(KEYS[2], e, n, from)
if named == nil then return out end
local prefix = tagKeyPrefix()
for key in pairs(named) do
  if sub(key, 1, #prefix) ~= prefix then return { ARGV[1], e, n, 0 } end
  out[#out + 1] = sub(key, #prefix + 1)
end
out[4] = 1
return out
`;

/**
 * Reads tag records of one shard for entries whose tags live outside their
 * own shard, with one MGET. KEYS: seq, tag keys. ARGV: nonce, candidate,
 * lastEpoch, lastN. Per tag: the record, or '' when missing or not a string.
 */
export const readTagsScript = `${prelude}
local e, n = currentSeq()
local records = mget(KEYS, 2, #KEYS, true)
local out = { ARGV[1], e, n }
for i = 2, #KEYS do out[i + 2] = records[i - 1] or '' end
return out
`;
