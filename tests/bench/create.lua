-- wrk script: opens tickets through the JSON API with a bearer token,
-- each request with an Idempotency-Key of its own.  The token and the
-- channel come from TW_BENCH_TOKEN and TW_BENCH_CHANNEL.

local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

function init(args)
	sent = 0
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["Accept"] = "application/json"
	wrk.headers["Authorization"] = "Bearer " .. os.getenv("TW_BENCH_TOKEN")
	channel = os.getenv("TW_BENCH_CHANNEL")
	run = os.time()
end

function request()
	sent = sent + 1
	wrk.headers["Idempotency-Key"] =
	    string.format("bench-%d-%d-%d", run, tid, sent)
	return wrk.format(nil, nil, nil, string.format(
	    '{"subject":"Bench create %d-%d","channel":%s,' ..
	    '"priority":5,"body":"Opened by the benchmark."}',
	    tid, sent, channel))
end
