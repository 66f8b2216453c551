-- Replaces one reservation's amounts with what the request really used, and ends what it held.
--
-- KEYS: as for reserve.lua, two per counter.
-- ARGV[1]: the reservation id; ARGV[2]: when it was taken (ms, Redis's clock, as reserve.lua returned);
--   then four per counter: kind, reserved amount, actual amount, key lifetime (ms).
--   'w': the second it was taken in, while still in its window, counts the actual amount instead.
--   'h': the entry is removed.
--   'b': the entry is removed and the actual amount added to '_spent'.
local id = ARGV[1]
local second = tostring(math.floor(tonumber(ARGV[2]) / 1000))
for i = 1, #KEYS / 2 do
  local z, h, a = KEYS[2 * i - 1], KEYS[2 * i], 3 + (i - 1) * 4
  local kind, reserved, actual = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  if kind == 'w' then
    if actual ~= reserved and redis.call('HEXISTS', h, second) == 1 then
      redis.call('HINCRBY', h, second, actual - reserved)
      redis.call('HINCRBY', h, '_sum', actual - reserved)
    end
  else
    local held = tonumber(redis.call('HGET', h, id))
    if held then
      redis.call('ZREM', z, id)
      redis.call('HDEL', h, id)
      redis.call('HINCRBY', h, '_sum', -held)
    end
    if kind == 'b' and actual > 0 then
      redis.call('HINCRBY', h, '_spent', actual)
      redis.call('PEXPIRE', h, ARGV[a + 3])
    end
  end
end
return 1
