package dev.meridian.moderation.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.meridian.common.error.ApiException;
import dev.meridian.moderation.config.ModerationConfig;
import dev.meridian.moderation.engine.ModerationInput;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Turns image parts into bytes: {@code data:} URLs are decoded, {@code https} URLs fetched. Either way the image must
 * be PNG, JPEG, WebP or GIF, its bytes must be what its type says (signature and header checked), and it must be no
 * larger than {@code meridian.moderation.images.max-bytes}.
 * <p>
 * Fetching guards against server-side request forgery: the host is resolved once, every address it resolves to must
 * be public (not loopback, link-local, private, unique-local, multicast or unspecified), and the connection goes to
 * the address that was checked, so a second DNS answer cannot point it elsewhere. Redirects are not followed. Hosts on
 * {@code meridian.moderation.images.allowed-hosts} skip the address check and may use plain http.
 */
@ApplicationScoped
public class ImageInputs {

    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]*)(;base64)?,(.*)", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final List<String> TYPES = List.of("image/png", "image/jpeg", "image/webp", "image/gif");

    @Inject
    ModerationConfig config;

    @Inject
    Vertx vertx;

    private volatile HttpClient client;

    /**
     * Registers the image readers of the application's class path (TwelveMonkeys' WebP reader) with ImageIO at start-up,
     * so they are there whichever thread first uses ImageIO.
     */
    void registerImageReaders(@Observes StartupEvent event) {
        ImageIO.scanForPlugins();
    }

    /** The image with its bytes and media type, or a 400 naming its parameter. */
    public ModerationInput.Image resolve(ModerationInput.Image image) {
        String url = image.url().strip();
        byte[] bytes;
        String declared;
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            Matcher m = DATA_URL.matcher(url);
            if (!m.matches() || m.group(2) == null) {
                throw invalid(image, "is not a valid data URL: expected data:image/<type>;base64,<data>.");
            }
            declared = m.group(1).toLowerCase(Locale.ROOT).strip();
            checkType(image, declared);
            long approximate = (long) m.group(3).length() * 3 / 4;
            if (approximate > config.images().maxBytes() + 3L) {
                throw tooLarge(image);
            }
            try {
                bytes = Base64.getDecoder().decode(WHITESPACE.matcher(m.group(3)).replaceAll(""));
            } catch (IllegalArgumentException e) {
                throw invalid(image, "is not valid base64 after 'base64,'.");
            }
        } else {
            Fetched fetched = fetch(image, url);
            bytes = fetched.bytes();
            declared = fetched.contentType();
        }
        if (bytes.length > config.images().maxBytes()) {
            throw tooLarge(image);
        }
        String actual = sniff(bytes);
        if (actual == null || !actual.equals(declared) || !readable(bytes, actual)) {
            throw ApiException.invalid(image.param(), "The image at '" + image.param() + "' is not a valid "
                    + (declared.equals("image/webp") ? "WebP" : declared.substring("image/".length()).toUpperCase(Locale.ROOT))
                    + " image"
                    + (actual != null && !actual.equals(declared) ? " (its content is " + actual + ")" : "")
                    + ". Supported formats are PNG, JPEG, WebP and GIF.", "invalid_image_format");
        }
        return image.withContent(bytes, actual);
    }

    private void checkType(ModerationInput.Image image, String type) {
        if (!TYPES.contains(type)) {
            throw ApiException.invalid(image.param(), "The image at '" + image.param() + "' has the unsupported type '"
                    + type + "'. Supported types are: image/png, image/jpeg, image/webp and image/gif.",
                    "invalid_image_format");
        }
    }

    private record Fetched(byte[] bytes, String contentType) {
    }

    private Fetched fetch(ModerationInput.Image image, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(image, "is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid(image, "must be an https URL or a data: URL.");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean allowed = config.images().allowedHosts().orElse(List.of()).stream().anyMatch(h -> h.equalsIgnoreCase(bareHost));
        if (scheme.equals("http") && !allowed) {
            throw invalid(image, "must use https; plain http is only accepted for hosts the operators allow-listed.");
        }
        InetAddress address;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bareHost);
            for (InetAddress a : addresses) {
                if (!allowed && !isPublic(a)) {
                    throw ApiException.invalid(image.param(), "The image URL at '" + image.param() + "' points to a"
                            + " private, loopback or link-local address, which this server does not fetch.",
                            "image_url_forbidden");
                }
            }
            address = addresses[0];
        } catch (UnknownHostException e) {
            throw unreachable(image, "its host could not be resolved");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false)
                // a backstop: the deadline below comes first and resets the request itself
                .setIdleTimeout(config.images().fetchTimeout().toMillis() + 1000);
        request.putHeader("Accept", String.join(", ", TYPES));
        int max = config.images().maxBytes();
        CompletableFuture<Fetched> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        client().request(request).onFailure(result::completeExceptionally).onSuccess(req -> {
            sent.set(req);
            if (result.isDone()) { // connected after the deadline: nobody waits for the answer any more
                req.reset();
                return;
            }
            req.send()
                    .onFailure(result::completeExceptionally)
                    .onSuccess(response -> {
                        // First: the resets below fail the response, and a failure nobody handles is logged as an error
                        response.exceptionHandler(result::completeExceptionally);
                        if (response.statusCode() != 200) {
                            result.completeExceptionally(new FetchRefused("it answered HTTP " + response.statusCode()
                                    + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")));
                            req.reset();
                            return;
                        }
                        String type = String.valueOf(response.getHeader("Content-Type")).split(";")[0].strip()
                                .toLowerCase(Locale.ROOT);
                        if (!TYPES.contains(type)) {
                            result.completeExceptionally(new FetchRefused("its content type is '" + type
                                    + "', not image/png, image/jpeg, image/webp or image/gif"));
                            req.reset();
                            return;
                        }
                        String length = response.getHeader("Content-Length");
                        if (length != null && Long.parseLong(length.strip()) > max) {
                            result.completeExceptionally(new TooLarge());
                            req.reset();
                            return;
                        }
                        Buffer body = Buffer.buffer();
                        response.handler(chunk -> {
                            body.appendBuffer(chunk);
                            if (body.length() > max && !result.isDone()) {
                                result.completeExceptionally(new TooLarge());
                                req.reset();
                            }
                        });
                        response.endHandler(v -> result.complete(new Fetched(body.getBytes(), type)));
                    });
        });
        try {
            return result.get(config.images().fetchTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            HttpClientRequest req = sent.get();
            if (req != null) {
                req.reset(); // a slow server's connection is closed now, not when its idle timeout ends
            }
            throw unreachable(image, "it did not answer within " + seconds(config.images().fetchTimeout()) + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge) {
                throw tooLarge(image);
            }
            if (e.getCause() instanceof FetchRefused refused) {
                throw unreachable(image, refused.getMessage());
            }
            throw unreachable(image, "the connection failed (" + e.getCause().getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(image, "the request was interrupted");
        }
    }

    /** Whether an address is on the public internet, which is all an https image URL may point to. */
    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
            boolean mappedV4 = isMappedV4(b);
            if (uniqueLocal) {
                return false;
            }
            if (mappedV4) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 0 // this network
                || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT
                || first == 192 && second == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
                || first == 198 && (second == 18 || second == 19) // benchmarking
                || first >= 240); // reserved and broadcast
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** The media type the bytes' signature shows, or null. */
    static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0d
                && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9')
                && b[5] == 'a') {
            return "image/gif";
        }
        if (b.length >= 16 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P' && b[12] == 'V' && b[13] == 'P' && b[14] == '8') {
            return "image/webp";
        }
        return null;
    }

    /**
     * The image must have a header its reader accepts (the JDK's for PNG, JPEG and GIF, TwelveMonkeys' for WebP), and a
     * WebP a RIFF size that fits the data.
     */
    private static boolean readable(byte[] bytes, String type) {
        if (type.equals("image/webp")) {
            long riff = (bytes[4] & 0xffL) | (bytes[5] & 0xffL) << 8 | (bytes[6] & 0xffL) << 16 | (bytes[7] & 0xffL) << 24;
            if (riff + 8 > bytes.length || riff < 12) {
                return false;
            }
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return reader.getWidth(0) > 0 && reader.getHeight(0) > 0;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout((int) config.images().fetchTimeout().toMillis())
                            .setForceSni(true)
                            .setMaxPoolSize(16));
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static ApiException invalid(ModerationInput.Image image, String problem) {
        return ApiException.invalid(image.param(), "The image URL at '" + image.param() + "' " + problem,
                "invalid_image_url");
    }

    private ApiException tooLarge(ModerationInput.Image image) {
        return ApiException.invalid(image.param(), "The image at '" + image.param() + "' is larger than "
                + config.images().maxBytes() / (1024 * 1024) + " MB, the most this server accepts.", "image_too_large");
    }

    /** A duration in seconds as a person writes it: "5", "1.5", "0.25". */
    static String seconds(java.time.Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static ApiException unreachable(ModerationInput.Image image, String why) {
        return ApiException.invalid(image.param(), "The image at '" + image.param() + "' could not be downloaded: "
                + why + ".", "image_url_unavailable");
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static final class FetchRefused extends RuntimeException {
        FetchRefused(String message) {
            super(message, null, false, false);
        }
    }
}
