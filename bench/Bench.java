import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Load driver for the API through the edge: throughput and latency percentiles of a scenario with a
 * fixed number of concurrent clients. Single-file program, JDK only:
 *
 *   java bench/Bench.java assistants|images|moderations|runs BASE_URL TOKEN [requests] [concurrency | rate=R]
 *
 * With a concurrency (closed loop) each client sends its next request when the last one is answered, which measures
 * the most the stack can do. With {@code rate=R} (open loop) requests start at R per second whatever the answers,
 * and each latency is counted from the moment its request was due, so a stall shows in the percentiles instead of
 * slowing the sender down. (bench/*.sh fetch a token from the local stack and run this.)
 */
public class Bench {

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        String base = args[1];
        String token = args[2];
        int requests = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        Load load = Load.parse(args.length > 4 ? args[4] : "16");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf("%s through %s, %d requests per phase, %s, %d cores%n", scenario, base, requests,
                load, Runtime.getRuntime().availableProcessors());
        switch (scenario) {
            case "assistants" -> {
                HttpRequest create = post(base + "/assistants", token, "{\"model\":\"gpt-4o-mini\",\"name\":\"bench\","
                        + "\"instructions\":\"You are a benchmark.\",\"tools\":[{\"type\":\"code_interpreter\"}],"
                        + "\"metadata\":{\"run\":\"bench\"}}");
                HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/assistants?limit=20"))
                        .header("Authorization", "Bearer " + token).header("OpenAI-Beta", "assistants=v2").GET().build();
                phase("create", http, List.of(create), requests, load);
                phase("list (limit=20)", http, List.of(list), requests, load);
            }
            case "images" -> {
                for (String size : new String[] { "256x256", "1024x1024" }) {
                    HttpRequest generate = post(base + "/images/generations", token, "{\"prompt\":\"a benchmark of "
                            + size + "\",\"size\":\"" + size + "\",\"response_format\":\"b64_json\"}");
                    int count = size.equals("256x256") ? requests : Math.max(1, requests / 4);
                    phase("b64_json " + size, http, List.of(generate), count, load);
                }
            }
            case "moderations" -> {
                String model = System.getenv().getOrDefault("MERIDIAN_BENCH_MODEL", "omni-moderation-latest");
                HttpRequest one = post(base + "/moderations", token, "{\"model\":\"" + model + "\",\"input\":"
                        + "\"i will find you and hurt you, you worthless idiot\"}");
                HttpRequest batch = post(base + "/moderations", token, "{\"model\":\"" + model + "\",\"input\":["
                        + "\"a lighthouse at dusk\",\"a man punching another man in a fight\",\"you are a wonderful friend\","
                        + "\"how do I bake bread\"]}");
                HttpRequest benign = post(base + "/moderations", token, "{\"model\":\"" + model + "\",\"input\":"
                        + "\"a watercolor painting of a lighthouse at dusk\"}");
                phase("one short text", http, List.of(one), requests, load);
                phase("four texts", http, List.of(batch), requests, load);
                // most texts are benign: the builtin engine's cascade answers them without the sentence embedding
                phase("one benign text", http, List.of(benign), requests, load);
                // every short check text in turn, one per request: about four benign texts to one harmful one
                List<HttpRequest> mixed = new ArrayList<>();
                for (String text : checkTexts()) {
                    mixed.add(post(base + "/moderations", token, "{\"model\":\"" + model + "\",\"input\":"
                            + jsonString(text) + "}"));
                }
                phase("mixed texts", http, mixed, requests, load);
            }
            case "runs" -> {
                // runs on the builtin chat engine, which answers at once: what Meridian itself costs per run
                HttpResponse<String> assistant = http.send(post(base + "/assistants", token,
                        "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief.\"}"), HttpResponse.BodyHandlers.ofString());
                String id = assistant.body().replaceAll("(?s).*?\"id\":\"(asst_[A-Za-z0-9]+)\".*", "$1");
                String thread = "{\"assistant_id\":\"" + id + "\",\"thread\":{\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hello from the benchmark\"}]}";
                HttpRequest streamed = post(base + "/threads/runs", token, thread + ",\"stream\":true}");
                // each request creates a thread and a run and reads the run's event stream to [DONE]
                int clients = load.clients() > 0 ? load.clients() : 16;
                int warmUp = Math.min(300, Math.max(20, requests / 5));
                String metrics = System.getenv("MERIDIAN_BENCH_METRICS");
                streams("streamed create thread and run", http, i -> streamed, warmUp, clients, load.rate(), false);
                streamsInside("streamed create thread and run", http, metrics, i -> streamed, requests, clients, load.rate());
                // the run alone, as an application that keeps its threads starts it: each run on a thread of its own,
                // created (with its message) before the phase, so that only the run's request is timed
                String run = "{\"assistant_id\":\"" + id + "\",\"stream\":true}";
                List<HttpRequest> warmUpRuns = runsOnNewThreads(http, base, token, warmUp, run);
                streams("streamed run on a thread", http, warmUpRuns::get, warmUp, clients, load.rate(), false);
                List<HttpRequest> runs = runsOnNewThreads(http, base, token, requests, run);
                streamsInside("streamed run on a thread", http, metrics, runs::get, requests, clients, load.rate());
                streams("200 concurrent streamed runs", http, i -> streamed, Math.max(requests, 400), 200, true);
                // each request creates a thread and a run (queued); the run completes in the background
                phase("create thread and run (no stream)", http, List.of(post(base + "/threads/runs", token,
                        thread + "}")), requests, load);
            }
            case "keys" -> {
                // the same cheap read with a Keycloak token and with an sk- key, alternated twice so that warm-up and
                // drift fall on both: what checking a key costs next to verifying a token
                String key = System.getenv("MERIDIAN_BENCH_KEY");
                if (key == null || key.isBlank()) {
                    throw new IllegalArgumentException("MERIDIAN_BENCH_KEY (an sk- key) is not set; bench/keys.sh sets it");
                }
                for (int round = 1; round <= 2; round++) {
                    phase("token, round " + round, http, List.of(get(base + "/models/gpt-4o", token)), requests, load);
                    phase("sk- key, round " + round, http, List.of(get(base + "/models/gpt-4o", key)), requests, load);
                }
            }
            case "limits" -> {
                // the same benign moderation on a replica that enforces rate limits and on one started with them off,
                // alternated twice: what the limiter adds per request
                String unlimited = System.getenv("MERIDIAN_BENCH_UNLIMITED_BASE");
                if (unlimited == null || unlimited.isBlank()) {
                    throw new IllegalArgumentException("MERIDIAN_BENCH_UNLIMITED_BASE is not set; bench/ratelimits.sh sets it");
                }
                String text = "{\"input\":\"a watercolor painting of a lighthouse at dusk\"}";
                String metrics = base.replaceFirst("/v1$", "") + "/q/metrics";
                for (int round = 1; round <= 2; round++) {
                    List<HttpRequest> limited = List.of(post(base + "/moderations", token, text));
                    phase("limited, round " + round, http, limited, Math.min(300, Math.max(20, requests / 5)), load, false);
                    long[] before = buckets(http, metrics, "meridian_ratelimit_admit", ADMIT_BOUNDS);
                    long[] cpuBefore = buckets(http, metrics, "meridian_ratelimit_admit_cpu", ADMIT_BOUNDS);
                    double limiterCpu = value(http, metrics, "meridian_ratelimit_admit_cpu_seconds_sum");
                    double processCpu = value(http, metrics, "process_cpu_time_ns_total") / 1e9;
                    phase("limited, round " + round, http, limited, requests, load, true);
                    limiterCpu = value(http, metrics, "meridian_ratelimit_admit_cpu_seconds_sum") - limiterCpu;
                    processCpu = value(http, metrics, "process_cpu_time_ns_total") / 1e9 - processCpu;
                    // on a machine whose cores are the bottleneck, the limiter's share of the replica's CPU bounds
                    // the throughput it costs
                    System.out.printf("  limiter's CPU: %.3f s of the replica's %.1f s over the phase (%.2f%%)%n", limiterCpu,
                            processCpu, 100 * limiterCpu / processCpu);
                    String[] labels = { "0.05 ms", "0.1 ms", "0.2 ms", "0.5 ms", "1 ms", "5 ms" };
                    printShares("limiter inside the replica, wall time", labels, before,
                            buckets(http, metrics, "meridian_ratelimit_admit", ADMIT_BOUNDS));
                    printShares("limiter inside the replica, its thread's CPU time", labels, cpuBefore,
                            buckets(http, metrics, "meridian_ratelimit_admit_cpu", ADMIT_BOUNDS));
                    phase("unlimited, round " + round, http, List.of(post(unlimited + "/moderations", token, text)), requests, load);
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario
                    + " (assistants|images|moderations|runs|keys|limits)");
        }
    }

    static HttpRequest get(String url, String credential) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + credential).GET().build();
    }

    static HttpRequest post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("OpenAI-Beta", "assistants=v2").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** How the load is applied: {@code clients} in a closed loop, or {@code rate} requests per second (open loop). */
    record Load(int clients, int rate) {
        static Load parse(String arg) {
            return arg.startsWith("rate=") ? new Load(0, Integer.parseInt(arg.substring(5)))
                    : new Load(Integer.parseInt(arg), 0);
        }

        @Override
        public String toString() {
            return rate > 0 ? "open loop at " + rate + " req/s" : clients + " concurrent clients";
        }
    }

    /**
     * The texts of moderation-training's two short check lists (data/check-benign.txt, check-harmful.txt), in a
     * fixed shuffled order.
     */
    static List<String> checkTexts() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("bench.checks", "moderation-training/data"));
        List<String> texts = new ArrayList<>();
        for (String file : new String[] {"check-benign.txt", "check-harmful.txt"}) {
            for (String line : java.nio.file.Files.readAllLines(dir.resolve(file))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    texts.add(line.strip());
                }
            }
        }
        Collections.shuffle(texts, new java.util.Random(7));
        return texts;
    }

    /** {@code text} as a JSON string literal. */
    static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }

    /**
     * A measured phase of streamed runs (see below), then, with assistants-service's metrics at {@code metrics}, the same
     * runs' first deltas as the service timed them, from the request's arrival.
     */
    static void streamsInside(String name, HttpClient http, String metrics, IntFunction<HttpRequest> request, int runs,
            int clients, int rate) throws Exception {
        long[] before = metrics == null ? null : buckets(http, metrics, "meridian_runs_first_delta", FIRST_DELTA_BOUNDS);
        streams(name, http, request, runs, clients, rate, true);
        if (metrics != null) {
            printShares("first delta inside assistants-service", new String[] { "1 ms", "2 ms", "5 ms", "10 ms",
                    "20 ms", "50 ms" }, before, buckets(http, metrics, "meridian_runs_first_delta", FIRST_DELTA_BOUNDS));
        }
    }

    /** {@code count} new threads, each with one user message, and for each the request that streams a run on it. */
    static List<HttpRequest> runsOnNewThreads(HttpClient http, String base, String token, int count, String run)
            throws Exception {
        HttpRequest thread = post(base + "/threads", token,
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello from the benchmark\"}]}");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> created = new ArrayList<>();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(16);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            created.add(http.sendAsync(thread, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> inFlight.release()));
        }
        List<HttpRequest> runs = new ArrayList<>(count);
        for (var answer : created) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("creating a thread: " + response.statusCode() + " " + response.body());
            }
            String id = response.body().replaceAll("(?s).*?\"id\":\"(thread_[A-Za-z0-9]+)\".*", "$1");
            runs.add(post(base + "/threads/" + id + "/runs", token, run));
        }
        return runs;
    }

    /**
     * Closed loop of streamed runs: each client reads its run's events as they arrive. Reports runs completed per second,
     * the time to the first {@code thread.message.delta} and to {@code [DONE]}; a run that does not end with
     * {@code thread.run.completed} and {@code [DONE]} is a failure.
     */
    static void streams(String name, HttpClient http, IntFunction<HttpRequest> request, int runs, int clients, boolean print)
            throws Exception {
        streams(name, http, request, runs, clients, 0, print);
    }

    /**
     * As above; with {@code rate} > 0 open loop instead: run i is due at start + i/rate whatever the others do, and its
     * times run from then (Meridian's latency at that load rather than at saturation).
     */
    static void streams(String name, HttpClient http, IntFunction<HttpRequest> request, int runs, int clients, int rate,
            boolean print) throws Exception {
        ExecutorService pool = rate > 0 ? Executors.newCachedThreadPool() : Executors.newFixedThreadPool(clients);
        AtomicInteger failures = new AtomicInteger();
        List<Long> firstDeltas = Collections.synchronizedList(new ArrayList<>());
        List<Long> wholeRuns = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        if (rate > 0) {
            for (int i = 0; i < runs; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                HttpRequest next = request.apply(i);
                workers.add(pool.submit(() -> streamOne(http, next, due, firstDeltas, wholeRuns, failures)));
            }
        } else {
            AtomicInteger remaining = new AtomicInteger(runs);
            for (int i = 0; i < clients; i++) {
                workers.add(pool.submit(() -> {
                    for (int n = remaining.getAndDecrement(); n > 0; n = remaining.getAndDecrement()) {
                        streamOne(http, request.apply(runs - n), System.nanoTime(), firstDeltas, wholeRuns, failures);
                    }
                }));
            }
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (print) {
            System.out.printf("%-34s %s: %.0f runs/s, %d failures%n", name,
                    rate > 0 ? "open loop " + rate + " runs/s" : clients + " clients",
                    (runs - failures.get()) / seconds, failures.get());
            report("  time to first delta", new ArrayList<>(firstDeltas), seconds, 0);
            report("  time to [DONE]", new ArrayList<>(wholeRuns), seconds, 0);
        }
    }

    /** One streamed run read to its end; its times count from {@code t0}, a failure if it does not end completed. */
    private static void streamOne(HttpClient http, HttpRequest request, long t0, List<Long> firstDeltas,
            List<Long> wholeRuns, AtomicInteger failures) {
        long first = -1;
        boolean completed = false;
        String last = null;
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (first < 0 && line.equals("event: thread.message.delta")) {
                    first = System.nanoTime() - t0;
                }
                completed |= line.equals("event: thread.run.completed");
                if (!line.isEmpty()) {
                    last = line;
                }
            }
            if (response.statusCode() != 200 || !completed || !"data: [DONE]".equals(last) || first < 0) {
                if (failures.incrementAndGet() == 1) {
                    System.err.println("first failure: status " + response.statusCode() + ", last line " + last);
                }
                return;
            }
        } catch (java.io.IOException e) {
            if (failures.incrementAndGet() == 1) {
                System.err.println("first failure: " + e);
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.incrementAndGet();
            return;
        }
        firstDeltas.add(first);
        wholeRuns.add(System.nanoTime() - t0);
    }

    /** A warm-up run, then the measured one; request i is {@code requests.get(i % size)}. */
    static void phase(String name, HttpClient http, List<HttpRequest> request, int requests, Load load) throws Exception {
        phase(name, http, request, Math.min(300, Math.max(20, requests / 5)), load, false);
        phase(name, http, request, requests, load, true);
    }

    static void phase(String name, HttpClient http, List<HttpRequest> request, int requests, Load load, boolean print)
            throws Exception {
        if (load.rate() > 0) {
            paced(name, http, request, requests, load.rate(), print);
        } else {
            run(name, http, request, requests, load.clients(), print);
        }
    }

    /** The limiter's own time per admission ({@code meridian.ratelimit.admit}): its cumulative buckets, in order. */
    static final String[] ADMIT_BOUNDS = { "5.0E-5", "1.0E-4", "2.0E-4", "5.0E-4", "0.001", "0.005", "+Inf" };
    /** A streamed run's time to its first delta inside assistants-service ({@code meridian.runs.first_delta}). */
    static final String[] FIRST_DELTA_BOUNDS = { "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "+Inf" };

    /** A Micrometer timer's cumulative bucket counts at {@code bounds} (seconds, as Prometheus prints them). */
    static long[] buckets(HttpClient http, String metricsUrl, String metric, String[] bounds) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long[] counts = new long[bounds.length];
        for (String line : body.split("\n")) {
            if (line.startsWith(metric + "_seconds_bucket{")) {
                for (int i = 0; i < bounds.length; i++) {
                    if (line.contains("le=\"" + bounds[i] + "\"")) {
                        counts[i] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        }
        return counts;
    }

    /** A meter's value (the first line that starts with {@code name} and a space), 0 when absent. */
    static double value(HttpClient http, String metricsUrl, String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The share of the phase's observations within each bound (the last bound, +Inf, is the count). */
    static void printShares(String what, String[] labels, long[] before, long[] after) {
        long total = after[after.length - 1] - before[before.length - 1];
        StringBuilder line = new StringBuilder("  " + what + ", " + total + " measured, share within:");
        for (int i = 0; i < labels.length; i++) {
            line.append(String.format(" %s %.2f%%", labels[i], total == 0 ? 0.0 : 100.0 * (after[i] - before[i]) / total));
        }
        System.out.println(line);
    }

    /** Open loop: request i is due at start + i/rate; its latency runs from then to its answer. */
    static void paced(String name, HttpClient http, List<HttpRequest> request, int requests, int rate, boolean print)
            throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger failures = new AtomicInteger();
        List<java.util.concurrent.CompletableFuture<Void>> answers = new ArrayList<>(requests);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int k = i;
            answers.add(http.sendAsync(request.get(i % request.size()), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                latencies[k] = System.nanoTime() - due;
                if (error != null || response.statusCode() != 200) {
                    failures.incrementAndGet();
                }
                return null;
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(answers.toArray(java.util.concurrent.CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (print) {
            List<Long> all = new ArrayList<>();
            for (long l : latencies) {
                all.add(l);
            }
            report(name, all, seconds, failures.get());
        }
    }

    static void run(String name, HttpClient http, List<HttpRequest> request, int requests, int concurrency, boolean print)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger remaining = new AtomicInteger(requests);
        AtomicInteger failures = new AtomicInteger();
        List<Future<List<Long>>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int n = remaining.getAndDecrement(); n > 0; n = remaining.getAndDecrement()) {
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(request.get(n % request.size()), HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (java.io.IOException e) {
                        status = -1; // no answer: a failure, like in the open loop
                    }
                    latencies.add(System.nanoTime() - t0);
                    if (status != 200) {
                        failures.incrementAndGet();
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> worker : workers) {
            all.addAll(worker.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (!print) {
            return;
        }
        report(name, all, seconds, failures.get());
    }

    static void report(String name, List<Long> all, double seconds, int failures) {
        if (all.isEmpty()) {
            System.out.printf("%-16s no successful request, failures %d%n", name, failures);
            return;
        }
        Collections.sort(all);
        System.out.printf("%-16s %7.0f req/s   p50 %6.2f ms   p90 %6.2f ms   p99 %6.2f ms   max %7.2f ms   failures %d%n",
                name, all.size() / seconds, pct(all, 50), pct(all, 90), pct(all, 99), all.get(all.size() - 1) / 1e6,
                failures);
    }

    static double pct(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
