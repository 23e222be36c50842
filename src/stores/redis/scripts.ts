/**
 * The Lua scripts of the Redis store, one per logical step, each confined to
 * one shard: KEYS[1] is always the shard's sequence key and every other key a
 * script touches carries the same hash tag, so each script runs in one slot.
 * Every key a script writes is declared. `lookup` also reads tag records it
 * only discovers in the entries' metadata; it derives their keys from KEYS[1]
 * (same hash tag, same ioredis `keyPrefix`, hence the same slot), and a
 * record it cannot see, for instance one already migrated to another node,
 * reads as stale.
 *
 * Cost. Scripts run on the CPU the application shares, and both the
 * commands they execute and the Lua work around them count, so each script
 * reads in bulk, writes only what changed and leaves parsing to C: one
 * `GETRANGE` per entry read, its metadata decoded by `cmsgpack`, one `MGET`
 * for all the tag records a call needs (deduplicated across its entries), a
 * write per tag record only when it is missing, foreign or about to expire
 * before the entry it guards, versions compared as numbers read at fixed
 * offsets. Commands per call are pinned in
 * test/integration/redis/commandCount.test.ts.
 *
 * Every script answers `{nonce, epoch, counter, ...}`: the nonce is ARGV[1]
 * echoed, so a reply that does not belong to the call (a connection that lost
 * bytes) is detected instead of served.
 *
 * Conventions: ARGV[1] nonce, ARGV[2] candidate epoch (used when the shard's
 * counter is missing, malformed, or behind ARGV[3]/ARGV[4], the epoch and
 * counter this client last saw), then script-specific arguments.
 */
import { createHash } from 'node:crypto';
import { FRAME_MAGIC, FRAME_META_OFFSET, MAX_META_BYTES } from './entryFrame.js';

/** A script and its SHA1, under which Redis caches it (SCRIPT LOAD, EVALSHA). */
export interface StoreScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

const prelude = `
-- Locals: cheaper than looking up globals in the hot loops. Arguments to
-- redis.call are passed as strings: a Lua number costs a conversion to text
-- and back on every call.
local sub, match, format, tonumber, type, pcall, unpack = string.sub, string.match, string.format, tonumber, type, pcall, unpack
local call, pcallRedis = redis.call, redis.pcall

-- The id of this Redis server's run: it changes on every restart (whatever
-- snapshot the server loaded) and differs between a primary and its replica.
local function runId()
  return match(call('INFO', 'server'), 'run_id:(%x+)') or ''
end

local function isCounter(s)
  return type(s) == 'string' and #s > 0 and #s <= 15 and match(s, '^%d+$') ~= nil
end

-- The shard's epoch and counter. A new epoch starts when the counter record
-- is missing (flush, eviction, restart without persistence), malformed, or
-- lower than what this client already saw in the same epoch (a failover to a
-- lagging replica): everything recorded under the old epoch is then stale.
-- The record also keeps (field r) the run id of the server that created it,
-- which checkEpoch compares on every new connection.
local function currentSeq()
  local r = pcallRedis('HMGET', KEYS[1], 'e', 'n')
  local e, n
  if type(r) == 'table' and r.err == nil and type(r[1]) == 'string' and #r[1] == 16 and isCounter(r[2]) then
    e = r[1]
    n = tonumber(r[2])
    if e == ARGV[3] and isCounter(ARGV[4]) and tonumber(ARGV[4]) > n then e = nil end
  end
  if e == nil then
    call('DEL', KEYS[1])
    call('HSET', KEYS[1], 'e', ARGV[2], 'n', '0', 'r', runId())
    e = ARGV[2]
    n = 0
  end
  return e, n
end

local function tagKeyPrefix()
  return sub(KEYS[1], 1, #KEYS[1] - 3) .. 't:'
end

-- MGET of keys[first..last], in chunks that stay below Lua's limit on the
-- number of values unpack() may push. Missing keys and keys of another type
-- read as false. With protected = true a refused MGET (a key this node does
-- not serve, in a cluster) reads as all missing instead of failing the call.
local function mget(keys, first, last, protected)
  local out = {}
  local i = first
  while i <= last do
    local j = math.min(i + 999, last)
    local r
    if protected then
      r = pcallRedis('MGET', unpack(keys, i, j))
      if type(r) ~= 'table' or r.err ~= nil then r = {} end
    else
      r = call('MGET', unpack(keys, i, j))
    end
    for x = 1, j - i + 1 do out[i - first + x] = r[x] or false end
    i = j + 1
  end
  return out
end

-- A tag record is "<epoch><version, 15 digits><expiresAtMs>" (layout.ts).
-- Its version when it belongs to epoch e; nil when missing, of another
-- epoch, or not a number. The epoch is 64 random bits: bytes that start
-- with it were written by this store.
local function versionOf(r, e)
  if not r or sub(r, 1, 16) ~= e then return nil end
  return tonumber(sub(r, 17, 31))
end

local function recordOf(e, v, expiresAt)
  return e .. format('%015d%d', v, expiresAt)
end

-- Redis's clock in milliseconds, compared with record expiries only.
local function nowMs()
  local t = call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Makes the records keys[first..last] able to vouch for entries written now:
-- a missing (or foreign) record is created at the current counter, which is
-- never below the true version of a record that was lost; a record that
-- would expire less than need[i] ms from now is rewritten with its version.
-- Either way it then lives need + max(need, margin) ms, so a tag filled
-- again and again is rewritten about once per max(need, margin), not on
-- every fill. The expiry is read from the record itself (no PTTL); it only
-- decides when to rewrite, never whether anything is fresh. Returns the
-- versions.
local function touchTags(keys, first, last, need, e, n, margin)
  local versions = {}
  if last < first then return versions end
  local records = mget(keys, first, last, false)
  local now = nowMs()
  for i = 1, last - first + 1 do
    local r = records[i]
    local v = versionOf(r, e)
    local life = need[i] + math.max(need[i], margin)
    if v == nil or v ~= v or v < 0 then
      v = n
      call('SET', keys[first + i - 1], recordOf(e, n, now + life), 'PX', format('%d', life))
    else
      local expiresAt = tonumber(sub(r, 32))
      if expiresAt == nil or expiresAt - now < need[i] then
        call('SET', keys[first + i - 1], recordOf(e, v, now + life), 'PX', format('%d', life))
      end
    end
    versions[i] = v
  end
  return versions
end

-- Reads an entry frame (entryFrame.ts): its group in this shard, a table
-- {shard, epoch, fetch, tag...}; nil when the frame is malformed (cmsgpack
-- errors, a too deep nesting included, are caught), its metadata or value
-- is too large, it was written for another shard count, or it has no group
-- here. unpack_one decodes the metadata alone and says where the value
-- starts (0-based; -1 when nothing follows).
local function readFrame(frame, k, shard, maxValue)
  if sub(frame, 1, ${FRAME_META_OFFSET}) ~= '${FRAME_MAGIC}' then return nil end
  local ok, offset, meta = pcall(cmsgpack.unpack_one, frame, ${FRAME_META_OFFSET})
  if not ok or type(meta) ~= 'table' or meta[1] ~= k then return nil end
  if offset == -1 then offset = #frame end
  if offset - ${FRAME_META_OFFSET} > ${MAX_META_BYTES} or #frame - offset > maxValue then return nil end
  for i = 2, #meta do
    local g = meta[i]
    if type(g) == 'table' and g[1] == shard then
      if type(g[2]) ~= 'string' or type(g[3]) ~= 'number' then return nil end
      return g
    end
  end
  return nil
end

-- Adds the records of a group's tags (g[4..]) to a list of tag keys,
-- deduplicated through positionOf unless it is nil; returns the positions
-- of the group's tags in that list, or nil when a tag is not a string.
local function collectTags(g, prefix, tagKeys, positionOf)
  for t = 4, #g do
    if type(g[t]) ~= 'string' then return nil end
  end
  local positions = {}
  local size = #tagKeys
  for t = 4, #g do
    local key = prefix .. g[t]
    local p = positionOf and positionOf[key]
    if p == nil then
      size = size + 1
      p = size
      tagKeys[p] = key
      if positionOf then positionOf[key] = p end
    end
    positions[t - 3] = p
  end
  return positions
end
`;

/**
 * Reads entries of one shard and checks their local group (the entry's
 * position in this shard and its tags held here; every entry has one): one
 * bounded GETRANGE per entry, then one MGET of the records of every tag the
 * fresh-looking entries carry. The GETRANGE reads at most one byte more than
 * the largest valid frame, so an oversized value is recognised without being
 * copied whole.
 * KEYS: seq, entry keys. ARGV: nonce, candidate, lastEpoch, lastN, shard,
 * shardCount, maxValueBytes.
 * Per key: 0 = absent (no key, or not a string), 1 = stale (stale, malformed
 * or oversized), or the frame as stored when the local group is fresh (the
 * client slices the value: a copy fewer in Lua).
 */
export const lookupScript = `${prelude}
local e, n = currentSeq()
local shard = tonumber(ARGV[5])
local k = tonumber(ARGV[6])
local maxValue = tonumber(ARGV[7])
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
  if fresh then out[c[1]] = c[2] end
end
return out
`;

/**
 * Writes entries of one shard whose local tags are fresh: one MGET of the
 * records of every local tag of the batch, record writes only where needed
 * (see touchTags), one SET per entry written. The tag records are declared
 * too (after the entries), so that during a slot migration Redis redirects
 * or retries the script instead of letting it create a record on the node
 * that is giving the slot away.
 * KEYS: seq, entry keys, tag keys. ARGV: nonce, candidate, lastEpoch, lastN,
 * shard, shardCount, tagTtlMarginMs, entryCount, then per entry: frame, ttlMs.
 * Per entry: 1 written, 0 dropped.
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

local versions = touchTags(tagKeys, 1, #tagKeys, need, e, n, margin)
for _, x in ipairs(entries) do
  local g = x[4]
  local fresh = g[2] == e and g[3] <= n
  for _, p in ipairs(x[5]) do
    if versions[p] > g[3] then fresh = false end
  end
  if fresh then
    call('SET', KEYS[x[1] + 1], x[2], 'PX', x[3])
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

function script(name: string, lua: string): StoreScript {
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** Every script of the store, loaded on each connection as it becomes ready. */
export const storeScripts = {
  lookup: script('lookup', lookupScript),
  fill: script('fill', fillScript),
  touchTags: script('touchTags', touchTagsScript),
  fillFenced: script('fillFenced', fillFencedScript),
  invalidate: script('invalidate', invalidateScript),
  readSeq: script('readSeq', readSeqScript),
  checkEpoch: script('checkEpoch', checkEpochScript),
  readTags: script('readTags', readTagsScript),
} as const;
