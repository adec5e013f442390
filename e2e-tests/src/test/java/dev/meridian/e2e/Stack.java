package dev.meridian.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/** The running local stack: its ports (from the stack directory), dev-user tokens and SDK clients. */
final class Stack {

    private static final Path DIR = Path.of(System.getProperty("meridian.stack.dir", ".stack/run"));
    private static final String SCRIPT = System.getProperty("meridian.stack.script", "deploy/local/stack.sh");
    private static final Map<String, String> PORTS = readPorts();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Stack() {
    }

    /** The API's one address, as an SDK user configures it. */
    static String baseUrl() {
        return "http://127.0.0.1:" + PORTS.get("EDGE_PORT") + "/v1";
    }

    /** models-service's own address, for its admin API (not routed by the edge). */
    static String modelsServiceUrl() {
        return "http://127.0.0.1:" + PORTS.get("MODELS_PORT");
    }

    /** A Keycloak access token for a dev user, from {@code stack.sh token}. */
    static String token(String user) {
        return TOKENS.computeIfAbsent(user, Stack::fetchToken);
    }

    /** The SDK as an application would set it up: only the base URL and the key differ from OpenAI. */
    /**
     * A temporary size x size PNG, opaque blue (0xff2266aa) but for its top {@code transparentRows} rows, which are
     * fully transparent: the area an edit without a mask repaints. The caller deletes it.
     */
    static java.nio.file.Path editablePng(int size, int transparentRows) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(size, size,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, y < transparentRows ? 0x00000000 : 0xff2266aa);
            }
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("meridian-e2e", ".png");
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    static OpenAIClient client(String user) {
        return clientWithKey(token(user));
    }

    static OpenAIClient clientWithKey(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl()).apiKey(key).maxRetries(0).build();
    }

    /** A new personal {@code sk-proj-} key of a dev user, from {@code stack.sh key} (default project unless named). */
    static String key(String user, String... project) {
        String[] args = new String[2 + project.length];
        args[0] = "key";
        args[1] = user;
        System.arraycopy(project, 0, args, 2, project.length);
        return run(args);
    }

    /** Starts another replica of a service with {@code stack.sh replica} and returns its base URL. */
    static String replica(String module) {
        String[] lines = run("replica", module).split("\n");
        return "http://127.0.0.1:" + lines[lines.length - 1].trim();
    }

    /** The stack's directory of logs, one file per part. */
    static Path logs() {
        return DIR.resolve("logs");
    }

    private static String fetchToken(String user) {
        return run("token", user);
    }

    /** A token Keycloak issues now, never handed out before (unlike {@link #token}). */
    static String freshToken(String user) {
        return run("token", user);
    }

    /** Runs {@code stack.sh} with these arguments (e.g. {@code stop kafka}) and returns what it printed. */
    static String script(String... args) {
        return run(args);
    }

    /** Whether a part of the stack (postgres, kafka, a service, a replica, edge) has a live process. */
    static boolean alive(String part) {
        try {
            Path pid = DIR.resolve(part + ".pid");
            return Files.exists(pid) && Files.exists(Path.of("/proc", Files.readString(pid).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name ({@code <module>-N}) of the replica that {@link #replica} started at this base URL. */
    static String replicaName(String module, String url) {
        String port = url.substring(url.lastIndexOf(':') + 1);
        try (var files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().matches(module + "-[0-9]+\\.port"))
                    .filter(f -> readTrimmed(f).equals(port))
                    .map(f -> f.getFileName().toString().replace(".port", "")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no replica of " + module + " on " + port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka's address, for a consumer of the stack's topics. */
    static String kafkaBootstrap() {
        return "127.0.0.1:" + PORTS.get("KAFKA_PORT");
    }

    /** A service's meters from its own {@code /q/metrics} (Prometheus text), by name with labels, as written. */
    static Map<String, Double> metrics(String service) {
        String port = PORTS.get(service.replace("-service", "").toUpperCase() + "_PORT");
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Double> meters = new HashMap<>();
            for (String line : response.body().split("\n")) {
                int space = line.lastIndexOf(' ');
                if (!line.startsWith("#") && space > 0) {
                    meters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
            return meters;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a service's meter reads {@code value}. */
    static void awaitMetric(String service, String meter, double value, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        Double last = null;
        while (System.nanoTime() < deadline) {
            last = metrics(service).get(meter);
            if (last != null && last == value) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        throw new IllegalStateException(service + "'s " + meter + " was " + last + ", not " + value + ", after " + atMost);
    }

    /**
     * The most requests a second {@code workers} clients, each sending its next request when the last is answered,
     * get answered with a 2xx in {@code duration} (after as long again of warm-up).
     */
    static double closedLoopRate(LongFunction<HttpRequest> requests, int workers, Duration duration) {
        AtomicLong sequence = new AtomicLong();
        AtomicLong succeeded = new AtomicLong();
        long warm = System.nanoTime() + duration.toNanos();
        long end = warm + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        int status = HTTP.send(requests.apply(sequence.getAndIncrement()),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status < 300 && System.nanoTime() > warm) {
                            succeeded.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // counted as not succeeded
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return succeeded.get() / (duration.toNanos() / 1e9);
    }

    /** For each part: resident memory in MB, live threads and open sockets ({@code <part>.rss}, {@code .threads}, {@code .sockets}). */
    static Map<String, Double> processSample(List<String> parts) {
        Map<String, Double> sample = new HashMap<>();
        for (String part : parts) {
            try {
                String pid = pidOf(part);
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        sample.put(part + ".rss", Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024);
                    } else if (line.startsWith("Threads:")) {
                        sample.put(part + ".threads", Double.parseDouble(line.replaceAll("[^0-9]", "")));
                    }
                }
                long sockets;
                try (var fds = Files.list(Path.of("/proc", pid, "fd"))) {
                    sockets = fds.filter(fd -> readLink(fd).startsWith("socket:")).count();
                }
                sample.put(part + ".sockets", (double) sockets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sample;
    }

    /** For each part, its live heap in MB: what is left after a full collection ({@code jcmd <pid> GC.run}). */
    static Map<String, Double> liveHeap(List<String> parts) {
        Map<String, Double> heap = new HashMap<>();
        for (String part : parts) {
            String pid = pidOf(part);
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            try {
                Process gc = new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start();
                gc.getInputStream().readAllBytes();
                if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                    throw new IllegalStateException("jcmd " + pid + " GC.run failed");
                }
                Process info = new ProcessBuilder(jcmd, pid, "GC.heap_info").redirectErrorStream(true).start();
                String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                info.waitFor(60, TimeUnit.SECONDS);
                // "garbage-first heap   total 65536K, used 41234K [...]" (or another collector's name)
                java.util.regex.Matcher used = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K")
                        .matcher(out);
                if (!used.find()) {
                    throw new IllegalStateException("no heap figure from jcmd " + pid + " GC.heap_info: " + out);
                }
                heap.put(part, Double.parseDouble(used.group(1)) / 1024);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return heap;
    }

    /**
     * Whether a soak grew after warm-up. Samples (all taken after warm-up): the second half's peaks against the
     * first half's: at most 4 more threads and 8 more sockets, resident memory within 10 % + 16 MB. Live heaps: the
     * end's within 10 % + 16 MB of the warm-up's. Returns "flat: ..." or "growing [...]: ..." with the figures.
     */
    static String growth(List<Map<String, Double>> samples, Map<String, Double> warmHeap, Map<String, Double> endHeap,
            List<String> parts) {
        int n = samples.size();
        List<Map<String, Double>> middle = samples.subList(0, n / 2);
        List<Map<String, Double>> last = samples.subList(n / 2, n);
        List<String> figures = new ArrayList<>();
        List<String> grown = new ArrayList<>();
        for (String part : parts) {
            StringBuilder line = new StringBuilder(part);
            for (String what : List.of("rss", "threads", "sockets")) {
                String key = part + "." + what;
                double before = max(middle, key);
                double after = max(last, key);
                double allowed = switch (what) {
                    case "threads" -> before + 4;
                    case "sockets" -> before + 8;
                    default -> before * 1.10 + 16;
                };
                line.append(String.format(" %s %.0f->%.0f", what, before, after));
                if (after > allowed) {
                    grown.add(key);
                }
            }
            line.append(String.format(" live-heap %.0f->%.0f", warmHeap.get(part), endHeap.get(part)));
            if (endHeap.get(part) > warmHeap.get(part) * 1.10 + 16) {
                grown.add(part + ".heap");
            }
            figures.add(line.toString());
        }
        return (grown.isEmpty() ? "flat: " : "growing " + grown + ": ") + String.join("; ", figures);
    }

    private static double max(List<Map<String, Double>> samples, String key) {
        return samples.stream().mapToDouble(s -> s.get(key)).max().orElseThrow();
    }

    private static String pidOf(String part) {
        return readTrimmed(DIR.resolve(part + ".pid"));
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return ""; // closed since it was listed
        }
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(SCRIPT));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("MERIDIAN_STACK_DIR", DIR.toString());
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("stack.sh " + String.join(" ", args) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readPorts() {
        try {
            Map<String, String> ports = new HashMap<>();
            for (String line : Files.readAllLines(DIR.resolve("ports.env"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    ports.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No stack in " + DIR + " (is it up?)", e);
        }
    }
}
