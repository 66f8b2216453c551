-- Checks and takes one reservation across all its counters, atomically, on Redis's own clock.
--
-- KEYS: two per counter: a sorted set of held entries (member = reservation id, score = expiry) and a
--   hash. A window's hash holds one field per second (its amount) and '_sum'; a held count's hash holds
--   each entry's amount, '_sum' and, for a budget, '_spent' (what settled requests cost in the period).
-- ARGV[1]: the reservation id; then five per counter: kind, limit, amount, span (ms), key lifetime (ms).
--   kind 'w' (a window: requests, tokens): an amount counts in the second it was taken, for `span` ms
--   of whole seconds — at most `limit` in any `span / 1000` consecutive seconds. Memory: one field
--   per second, whatever the rate; '_old' keeps the oldest, so the hash is scanned only when a second
--   leaves the window or a request is refused.
--   kind 'h' (held: concurrency) and 'b' (budget): an entry counts until it is settled, or at most
--   `span` ms — so a crashed instance's reservations expire. A budget also counts its '_spent'.
-- Returns {admitted (1|0), refused counter (1-based, 0 when admitted), retry after (ms), now (ms),
--   then per counter: remaining, reset (ms until the window is empty again)}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local second = math.floor(now / 1000)
local id = ARGV[1]
local n = #KEYS / 2
local used, kinds, limits, amounts, spans, buckets = {}, {}, {}, {}, {}, {}

-- A window's live seconds, oldest first, dropping those that left it: a scan of its hash.
local function scan(h, first)
  local fields = redis.call('HGETALL', h)
  local live, sum, gone = {}, 0, false
  for j = 1, #fields, 2 do
    local f = fields[j]
    if f ~= '_sum' and f ~= '_old' then
      local s, amount = tonumber(f), tonumber(fields[j + 1])
      if s <= first then
        redis.call('HDEL', h, f)
        gone = true
      else
        live[#live + 1] = {s, amount}
        sum = sum + amount
      end
    end
  end
  table.sort(live, function(a, b) return a[1] < b[1] end)
  if gone then
    redis.call('HSET', h, '_sum', sum)
    if #live > 0 then redis.call('HSET', h, '_old', live[1][1]) else redis.call('HDEL', h, '_old') end
  end
  return live, sum
end

-- What a window holds now. '_old' (its oldest second) says whether a second has left it since the
-- last call; only then, at most once a second, is the hash scanned.
local function window(h, span)
  local first = second - span / 1000
  local v = redis.call('HMGET', h, '_sum', '_old')
  local old = tonumber(v[2])
  if old and old <= first then
    local _, sum = scan(h, first)
    return sum
  end
  return tonumber(v[1]) or 0
end

local function expire(z, h)
  while true do
    local old = redis.call('ZRANGEBYSCORE', z, '-inf', now, 'LIMIT', 0, 500)
    if #old == 0 then return end
    local values = redis.call('HMGET', h, unpack(old))
    local freed = 0
    for j = 1, #old do freed = freed + (tonumber(values[j]) or 0) end
    redis.call('ZREM', z, unpack(old))
    redis.call('HDEL', h, unpack(old))
    redis.call('HINCRBY', h, '_sum', -freed)
  end
end

local refused, retry = 0, 0
for i = 1, n do
  local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 2 + (i - 1) * 5
  kinds[i], limits[i], amounts[i], spans[i] = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  if kinds[i] == 'w' then
    used[i] = window(h, spans[i])
  else
    expire(z, h)
    used[i] = (tonumber(redis.call('HGET', h, '_sum')) or 0) + (tonumber(redis.call('HGET', h, '_spent')) or 0)
  end
  if refused == 0 and used[i] + amounts[i] > limits[i] then
    refused = i
    retry = 1000
    if kinds[i] == 'w' then
      -- until enough of the oldest seconds leave the window
      buckets[i] = scan(h, second - spans[i] / 1000)
      local need, freed = used[i] + amounts[i] - limits[i], 0
      for _, b in ipairs(buckets[i]) do
        freed = freed + b[2]
        if freed >= need then
          retry = b[1] * 1000 + spans[i] - now
          break
        end
      end
    end
  end
end

local out = {refused == 0 and 1 or 0, refused, math.max(retry, 0), now}
for i = 1, n do
  local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 2 + (i - 1) * 5
  local taken = used[i]
  if refused == 0 then
    if kinds[i] == 'w' then
      redis.call('HINCRBY', h, second, amounts[i])
      redis.call('HSETNX', h, '_old', second)
    else
      redis.call('ZADD', z, now + spans[i], id)
      redis.call('HSET', h, id, amounts[i])
      redis.call('PEXPIRE', z, ARGV[a + 4])
    end
    redis.call('HINCRBY', h, '_sum', amounts[i])
    redis.call('PEXPIRE', h, ARGV[a + 4])
    taken = taken + amounts[i]
  end
  local reset = 0
  if kinds[i] == 'w' then
    local newest = nil
    if refused == 0 then
      newest = second
    else
      local live = buckets[i] or scan(h, second - spans[i] / 1000)
      if #live > 0 then newest = live[#live][1] end
    end
    if newest then reset = math.max(newest * 1000 + spans[i] - now, 0) end
  end
  out[#out + 1] = math.max(limits[i] - taken, 0)
  out[#out + 1] = reset
end
return out
