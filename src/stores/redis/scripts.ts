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
 * Every script answers `{nonce, epoch, counter, ...}`: the nonce is ARGV[1]
 * echoed, so a reply that does not belong to the call (a connection that lost
 * bytes) is detected instead of served.
 *
 * Conventions: ARGV[1] nonce, ARGV[2] candidate epoch (used when the shard's
 * counter is missing, malformed, or behind ARGV[3]/ARGV[4], the epoch and
 * counter this client last saw), then script-specific arguments.
 */
import { createHash } from 'node:crypto';

/** A script and its SHA1, under which Redis caches it (SCRIPT LOAD, EVALSHA). */
export interface StoreScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

const prelude = `
local function isCounter(s)
  return type(s) == 'string' and #s > 0 and #s <= 15 and string.match(s, '^%d+$') ~= nil
end

-- The shard's epoch and counter. A new epoch starts when the counter record
-- is missing (flush, eviction, restart without persistence), malformed, or
-- lower than what this client already saw in the same epoch (a failover to a
-- lagging replica): everything recorded under the old epoch is then stale.
local function currentSeq()
  local r = redis.pcall('HMGET', KEYS[1], 'e', 'n')
  local e, n
  if type(r) == 'table' and r.err == nil and type(r[1]) == 'string' and #r[1] == 16 and isCounter(r[2]) then
    e = r[1]
    n = tonumber(r[2])
    if e == ARGV[3] and isCounter(ARGV[4]) and tonumber(ARGV[4]) > n then e = nil end
  end
  if e == nil then
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[1], 'e', ARGV[2], 'n', '0')
    e = ARGV[2]
    n = 0
  end
  return e, n
end

local function tagKeyPrefix()
  return string.sub(KEYS[1], 1, #KEYS[1] - 3) .. 't:'
end

-- A tag record is "<epoch><version>". The version if the record belongs to
-- epoch e; nil when missing, of another epoch, malformed, or not a string.
local function tagVersion(key, e)
  local r = redis.pcall('GET', key)
  if type(r) ~= 'string' or #r < 17 or string.sub(r, 1, 16) ~= e then return nil end
  local v = string.sub(r, 17)
  if not isCounter(v) then return nil end
  return tonumber(v)
end

-- Creates a missing (or foreign) tag record at the current counter, which is
-- never below the true version of a record that was lost, and stretches the
-- record's TTL to outlive the entry being written. Returns the version.
local function touchTag(key, e, n, ttl)
  local v = tagVersion(key, e)
  if v == nil then
    redis.call('SET', key, e .. string.format('%d', n), 'PX', ttl)
    return n
  end
  local left = redis.call('PTTL', key)
  if left >= 0 and left < ttl then redis.call('PEXPIRE', key, ttl) end
  return v
end

-- Metadata parser; the format is documented in entryFrame.ts.
local function parseMeta(meta)
  local pos = 1
  local function num()
    local stop = string.find(meta, ';', pos, true)
    if stop == nil or stop == pos or stop - pos > 15 then return nil end
    local s = string.sub(meta, pos, stop - 1)
    if not string.match(s, '^%d+$') then return nil end
    pos = stop + 1
    return tonumber(s)
  end
  local k = num()
  local count = num()
  if k == nil or count == nil or count > k then return nil end
  local groups = {}
  local previous = -1
  for g = 1, count do
    local shard = num()
    if shard == nil or shard >= k or shard <= previous then return nil end
    previous = shard
    local epoch = string.sub(meta, pos, pos + 15)
    if #epoch ~= 16 or string.sub(meta, pos + 16, pos + 16) ~= ';' then return nil end
    pos = pos + 17
    local f = num()
    local tagCount = num()
    if f == nil or tagCount == nil then return nil end
    local tags = {}
    for t = 1, tagCount do
      local len = num()
      if len == nil or pos + len - 1 > #meta then return nil end
      tags[t] = string.sub(meta, pos, pos + len - 1)
      pos = pos + len
    end
    groups[g] = { shard = shard, epoch = epoch, f = f, tags = tags }
  end
  if pos ~= #meta + 1 then return nil end
  return k, groups
end

local function localGroup(groups, shard)
  for _, g in ipairs(groups) do
    if g.shard == shard then return g end
  end
  return nil
end
`;

/**
 * Reads entries of one shard and checks their local group (the entry's
 * position in this shard and its tags held here; every entry has one).
 * KEYS: seq, entry keys. ARGV: nonce, candidate, lastEpoch, lastN, shard, shardCount, maxValueBytes.
 * Per key: 0 = absent (no key, or not a string), 1 = stale (stale, malformed
 * or oversized), or {value, metadata} when the local group is fresh.
 */
export const lookupScript = `${prelude}
local e, n = currentSeq()
local shard = tonumber(ARGV[5])
local k = tonumber(ARGV[6])
local maxValue = tonumber(ARGV[7])
local prefix = tagKeyPrefix()

local function read(key)
  local head = redis.pcall('GETRANGE', key, 0, 9)
  if type(head) ~= 'string' or head == '' then return 0 end
  if #head ~= 10 or string.sub(head, 1, 2) ~= 'E1' or not string.match(string.sub(head, 3), '^%d+$') then return 1 end
  local metaLen = tonumber(string.sub(head, 3))
  local valueLen = redis.call('STRLEN', key) - 10 - metaLen
  if metaLen == 0 or valueLen < 0 or valueLen > maxValue then return 1 end
  local meta = redis.call('GETRANGE', key, 10, 9 + metaLen)
  local mk, groups = parseMeta(meta)
  if mk ~= k then return 1 end
  local g = localGroup(groups, shard)
  if g == nil or g.epoch ~= e or g.f > n then return 1 end
  for _, tag in ipairs(g.tags) do
    local v = tagVersion(prefix .. tag, e)
    if v == nil or v > g.f then return 1 end
  end
  local value = ''
  if valueLen > 0 then value = redis.call('GETRANGE', key, 10 + metaLen, -1) end
  return { value, meta }
end

local out = { ARGV[1], e, n }
for i = 2, #KEYS do out[i + 2] = read(KEYS[i]) end
return out
`;

/**
 * Writes entries of one shard whose local tags are fresh, creating missing
 * tag records and stretching their TTLs. The tag records are declared too
 * (after the entries), so that during a slot migration Redis redirects or
 * retries the script instead of letting it create a record on the node that
 * is giving the slot away.
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

local function fill(key, frame, ttl)
  if ttl == nil or ttl <= 0 or string.sub(frame, 1, 2) ~= 'E1' then return 0 end
  local metaLen = tonumber(string.sub(frame, 3, 10))
  if metaLen == nil then return 0 end
  local mk, groups = parseMeta(string.sub(frame, 11, 10 + metaLen))
  if mk ~= k then return 0 end
  local g = localGroup(groups, shard)
  if g == nil then return 0 end
  local fresh = g.epoch == e and g.f <= n
  for _, tag in ipairs(g.tags) do
    if touchTag(prefix .. tag, e, n, ttl + margin) > g.f then fresh = false end
  end
  if not fresh then return 0 end
  redis.call('SET', key, frame, 'PX', ttl)
  return 1
end

local out = { ARGV[1], e, n }
for i = 1, count do
  out[i + 3] = fill(KEYS[i + 1], ARGV[7 + i * 2], tonumber(ARGV[8 + i * 2]))
end
return out
`;

/**
 * Prepares the tags an entry has in a shard other than its own before the
 * entry is written: creates missing records, stretches TTLs, returns versions.
 * KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN, then per tag: ttlMs.
 */
export const touchTagsScript = `${prelude}
local e, n = currentSeq()
local out = { ARGV[1], e, n }
for i = 2, #KEYS do out[i + 2] = touchTag(KEYS[i], e, n, tonumber(ARGV[i + 3])) end
return out
`;

/**
 * Raises the shard's counter once and records it as the version of each
 * given tag that has a record. A tag without a record needs no write: a
 * missing record already reads as stale, and a fill creates it at a counter
 * above every fetch that began before this invalidation.
 * KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN.
 */
export const invalidateScript = `${prelude}
local e = currentSeq()
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local version = e .. string.format('%d', n)
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('SET', KEYS[i], version, 'KEEPTTL') end
end
return { ARGV[1], e, n }
`;

/** Reads (or starts) the shard's epoch and counter. KEYS: seq. ARGV: nonce, candidate, lastEpoch, lastN. */
export const readSeqScript = `${prelude}
local e, n = currentSeq()
return { ARGV[1], e, n }
`;

/**
 * Reads tag records of one shard for entries whose tags live outside their
 * own shard. KEYS: seq, tag keys. ARGV: nonce, candidate, lastEpoch, lastN.
 * Per tag: the record, or '' when missing or not a string.
 */
export const readTagsScript = `${prelude}
local e, n = currentSeq()
local out = { ARGV[1], e, n }
for i = 2, #KEYS do
  local r = redis.pcall('GET', KEYS[i])
  if type(r) ~= 'string' then r = '' end
  out[i + 2] = r
end
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
  invalidate: script('invalidate', invalidateScript),
  readSeq: script('readSeq', readSeqScript),
  readTags: script('readTags', readTagsScript),
} as const;
