package dev.meridian.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;

import io.restassured.RestAssured;

/** The samples of a scrape in Prometheus's text format, to compare a meter's value before and after. */
public final class PrometheusText {

    private final Map<String, Double> samples = new HashMap<>();

    /** A scrape of {@code /q/metrics} of the service under test, asked for in the text format (0.0.4). */
    public static PrometheusText scrape() {
        return new PrometheusText(RestAssured.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(Matchers.startsWith("text/plain")).extract().asString());
    }

    /**
     * Scrapes until the service's outbox has nothing pending (at most 30 seconds), so that events written before are
     * out of the counts; fails if something is still pending then.
     */
    public static PrometheusText settled() throws InterruptedException {
        AtomicReference<PrometheusText> metrics = new AtomicReference<>();
        Awaitility.await("events stuck in the outbox").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    metrics.set(scrape());
                    Assertions.assertEquals(0, metrics.get().value("meridian_outbox_pending"), "events stuck in the outbox");
                });
        Assertions.assertEquals(0, metrics.get().value("meridian_outbox_oldest_pending_age_seconds"));
        return metrics.get();
    }

    /** The samples of this scrape, each keyed by its series as written: the name and its labels in braces. */
    public PrometheusText(String scrape) {
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = normalised(line.substring(0, space));
            if (samples.put(series, Double.parseDouble(line.substring(space + 1))) != null) {
                throw new IllegalArgumentException("The series " + series + " appears twice");
            }
        }
    }

    /** The series as {@link #series} writes it: labels by name, no trailing comma (the 0.0.4 format writes one). */
    private static String normalised(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        List<String> labels = new ArrayList<>();
        int i = brace + 1;
        while (series.charAt(i) != '}') {
            int equals = series.indexOf('=', i);
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (series.charAt(j) != '"') {
                char c = series.charAt(j++);
                if (c == '\\') {
                    char escaped = series.charAt(j++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.add(series.substring(i, equals).strip());
            labels.add(value.toString());
            i = j + 1;
            while (series.charAt(i) == ',' || series.charAt(i) == ' ') {
                i++;
            }
        }
        return series(series.substring(0, brace), labels.toArray(String[]::new));
    }

    /**
     * The sample of the series {@code name{labels}}, the labels given as name and value in turn, in any order; 0 for
     * a series not written, as a counter that has not counted yet.
     */
    public double value(String name, String... labels) {
        return samples.getOrDefault(series(name, labels), 0.0);
    }

    /** This scrape's sample less the earlier one's. */
    public double since(PrometheusText earlier, String name, String... labels) {
        return value(name, labels) - earlier.value(name, labels);
    }

    private static String series(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come as name and value in turn");
        }
        if (labels.length == 0) {
            return name;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        StringJoiner s = new StringJoiner(",", name + "{", "}");
        sorted.forEach((label, value) -> s.add(label + "=\"" + value + '"'));
        return s.toString();
    }
}
