package io.painjournal.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The process's one meter registry, scraped at {@code /metrics}. Every meter carries
 * {@code service=<SERVICE_NAME>} so that the services of a split deployment can be told apart (Prometheus
 * adds {@code instance}). Besides the JVM's own meters, the roles add theirs: Vert.x HTTP server
 * ({@code vertx_http_server_*} by route, method and code), ingest outcomes, Kafka producer, consumer and
 * Streams metrics, analytics freshness and state-store sizes.
 */
final class Metrics {

    private static final String HTTP_RESPONSE_TIME = "vertx.http.server.response.time";
    /**
     * HTTP latency histogram buckets, 1 ms to 10 s (in nanoseconds), so dashboards can compute quantiles
     * over any set of instances with few series per route.
     */
    static final double[] LATENCY_BUCKETS = java.util.stream.Stream.of(
                    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
            .toArray();

    private Metrics() {}

    static PrometheusMeterRegistry registry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        // Vert.x Web labels a request with every route it passed, joined by '>' ("/v1/>/v1/>/v1/sessions");
        // the last is the one that answered.
        registry.config()
                .meterFilter(
                        MeterFilter.replaceTagValues("route", route -> route.substring(route.lastIndexOf('>') + 1)));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_RESPONSE_TIME)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .build()
                        .merge(config);
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }
}
