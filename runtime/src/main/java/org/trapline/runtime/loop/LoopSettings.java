package org.trapline.runtime.loop;

import org.trapline.config.TraplineConfig;

/**
 * The settings of a service's transactional loop, under the service's own prefix ({@code detector.},
 * {@code identifier.}); each key is declared here once, the defaults that differ between services come from the
 * service:
 *
 * <pre>
 * SERVICE.instance.id        this instance's name, unique among the service's instances: the name of its Kafka
 *                            clients, its transactional id and its static group membership (group.instance.id)
 * SERVICE.max.poll.records   records one poll takes, so the most one transaction covers
 * </pre>
 *
 * @param service        the service's name: its consumer group and its keys' prefix
 * @param instanceId     {@code SERVICE.instance.id}
 * @param maxPollRecords {@code SERVICE.max.poll.records}
 */
public record LoopSettings(String service, String instanceId, int maxPollRecords) {

    public static final String INSTANCE_ID = "instance.id";
    public static final String MAX_POLL_RECORDS = "max.poll.records";

    public static LoopSettings fromConfig(TraplineConfig config, String service, String defaultInstanceId,
                                          int defaultMaxPollRecords) {
        return new LoopSettings(service, config.get(service + "." + INSTANCE_ID, defaultInstanceId),
                config.getInt(service + "." + MAX_POLL_RECORDS, defaultMaxPollRecords));
    }

    /** What this instance's clients are called: client id, transactional id and group instance id in one. */
    public String clientName() {
        return service + "-" + instanceId;
    }
}
