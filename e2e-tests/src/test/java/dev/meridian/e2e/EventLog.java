package dev.meridian.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads one of the stack's topics from its beginning to its end, as a consumer that joins late would. */
final class EventLog {

    /** The events of one type about one resource (the record key): every delivery's {@code ce_id}, the last data. */
    record Deliveries(String key, List<String> ceIds, String lastValue) {
        int distinct() {
            return new TreeSet<>(ceIds).size();
        }
    }

    private EventLog() {
    }

    /** Every record of {@code topic} whose {@code ce_type} is {@code type}, grouped by key. */
    static Map<String, Deliveries> read(String bootstrap, String topic, String type) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, List<String>> byKey = new HashMap<>();
        Map<String, String> lastValue = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (type.equals(header(record, "ce_type"))) {
                        byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(header(record, "ce_id"));
                        lastValue.put(record.key(), new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        Map<String, Deliveries> deliveries = new HashMap<>();
        byKey.forEach((key, ids) -> deliveries.put(key, new Deliveries(key, List.copyOf(ids), lastValue.get(key))));
        return deliveries;
    }

    /** The keys among {@code keys} that have no event, and those with more than one distinct {@code ce_id}. */
    static String mismatches(Map<String, Deliveries> log, Set<String> keys) {
        long missing = keys.stream().filter(k -> !log.containsKey(k)).count();
        long several = keys.stream().filter(k -> log.containsKey(k) && log.get(k).distinct() != 1).count();
        return missing + " without an event, " + several + " with more than one distinct ce_id";
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
