/**
 * The Lua helpers every store script starts with (scripts.ts): the shard's
 * epoch and counter, bulk reads, tag records and entry frames, written once
 * so each script stays one logical step.
 */
import { FRAME_MAGIC, FRAME_META_OFFSET, MAX_META_BYTES } from './entryFrame.js';

/** How many raises of a shard's counter its invalidation log keeps (invalidateScript.ts); a fill fetched further back is not helped by it. */
export const INVALIDATION_LOG_LENGTH = 256;

export const prelude = `
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
-- versions. createdAt(i), when given, may vouch for a lower version than n
-- for a missing record (the fill script's log check, see readLog).
local function touchTags(keys, first, last, need, e, n, margin, createdAt)
  local versions = {}
  if last < first then return versions end
  local records = mget(keys, first, last, false)
  local now = nowMs()
  for i = 1, last - first + 1 do
    local r = records[i]
    local v = versionOf(r, e)
    local life = need[i] + math.max(need[i], margin)
    if v == nil or v ~= v or v < 0 then
      v = createdAt and createdAt(i) or n
      call('SET', keys[first + i - 1], recordOf(e, v, now + life), 'PX', format('%d', life))
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

-- The shard's log of recent invalidations (invalidateScript.ts): one item
-- {epoch, counter, whole, tag key...} per raise of the counter, newest first,
-- at most ${INVALIDATION_LOG_LENGTH}. Answers the set of tag keys invalidated in
-- (from, n] of epoch e, or nil when the log cannot tell: a raise missing
-- from it (trimmed, lost, a writer without the log, a failed push), an item
-- of another epoch, or a raise that names no tags (every record may have moved).
local function readLog(key, e, n, from)
  local count = n - from
  if count <= 0 then return {} end
  if count > ${INVALIDATION_LOG_LENGTH} then return nil end
  local items = pcallRedis('LRANGE', key, '0', format('%d', count - 1))
  if type(items) ~= 'table' or items.err ~= nil or #items ~= count then return nil end
  local named = {}
  for j = 1, count do
    local ok, item = pcall(cmsgpack.unpack, items[j])
    if not ok or type(item) ~= 'table' or item[1] ~= e or item[2] ~= n - j + 1 or item[3] ~= false then return nil end
    for t = 4, #item do named[item[t]] = true end
  end
  return named
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
