package dev.meridian.testsupport;

import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.jboss.logging.Logger;
import org.apache.kafka.common.test.TestKitNodes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real single-node KRaft Kafka cluster inside the test JVM. It starts once per JVM (every test
 * class of a module shares it) and stops when the JVM exits. Replication factors are 1, else the
 * consumer-offsets topic never forms and consumer groups hang.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static final Logger LOG = Logger.getLogger(KafkaTestResource.class);
    private static KafkaBroker broker;

    static synchronized KafkaBroker broker() {
        if (broker == null) {
            // A broker that hits a fatal condition (say, its log directory vanishing while the JVM
            // shuts down) calls Exit.halt, which would end the test JVM with a failure code after
            // every test passed. As in Kafka's own tests, such calls are logged instead.
            Exit.setExitProcedure((code, message) -> LOG.warnf("Kafka asked to exit(%d): %s", code, message));
            Exit.setHaltProcedure((code, message) -> LOG.warnf("Kafka asked to halt(%d): %s", code, message));
            try {
                TestKitNodes nodes = new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
                KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                        .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .setConfigProp("num.partitions", "1")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                broker = new KafkaBroker(cluster);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(cluster), "kafka-test-cluster-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the test Kafka cluster", e);
            }
        }
        return broker;
    }

    /** Closes the cluster, but never holds the JVM's exit for more than a few seconds. */
    private static void close(KafkaClusterTestKit cluster) {
        Thread closer = new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // the JVM is going away; its data lives in a temporary directory
            }
        }, "kafka-test-cluster-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker(),
                new TestInjector.AnnotatedAndMatchesType(InjectKafka.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM; the shutdown hook stops it.
    }
}
