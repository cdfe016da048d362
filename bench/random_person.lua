-- wrk script: GET /api/v1/persons/{id} for a person drawn at random from PERSONS_FILE (one id
-- per line), so reads spread over far more records than the server keeps in memory. With
-- WRITE_SHARE (0–1) that share of requests records a statement instead (POST …/statements):
-- the mixed read/write workload.
local ids = {}
for line in io.lines(os.getenv("PERSONS_FILE")) do ids[#ids + 1] = line end
local write_share = tonumber(os.getenv("WRITE_SHARE") or "0")
local statement = '{"kind":"need","text":"Behöver hjälp med inköp"}'

-- Headers given to wrk.format replace those of the command line (the token): copy them.
local json_headers
local function with_json_body()
    if not json_headers then
        json_headers = { ["Content-Type"] = "application/json" }
        for name, value in pairs(wrk.headers) do json_headers[name] = value end
    end
    return json_headers
end

request = function()
    local id = ids[math.random(#ids)]
    if math.random() < write_share then
        return wrk.format("POST", "/api/v1/persons/" .. id .. "/statements", with_json_body(), statement)
    end
    return wrk.format("GET", "/api/v1/persons/" .. id)
end
