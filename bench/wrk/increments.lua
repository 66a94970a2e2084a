-- Increments by 1 on a counter drawn at random from COUNTERS (c-1 .. c-N), or always on HOT when it is set.
-- The same requests go to the CRUD baseline and to the command side.
local counters = tonumber(os.getenv("COUNTERS") or "1000")
local hot = os.getenv("HOT")
if hot == "" then hot = nil end
local headers = { ["Content-Type"] = "application/json" }
local body = '{"amount":1}'
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("seed", counter)
end

function init(args)
    math.randomseed(os.time() * 1000 + seed)
end

function request()
    local id = hot or ("c-" .. math.random(counters))
    return wrk.format("POST", "/api/counters/" .. id .. "/increments", headers, body)
end
