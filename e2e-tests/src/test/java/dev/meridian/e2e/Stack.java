package dev.meridian.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/** The running local stack: its ports (from the stack directory), dev-user tokens and SDK clients. */
final class Stack {

    private static final Path DIR = Path.of(System.getProperty("meridian.stack.dir", ".stack/run"));
    private static final String SCRIPT = System.getProperty("meridian.stack.script", "deploy/local/stack.sh");
    private static final Map<String, String> PORTS = readPorts();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

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
