package dev.hanul.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.resources.LoopResources;

/**
 * When {@code management.server.port} puts the actuator on a port of its own, its server gets event-loop threads of
 * its own too. By default Reactor Netty runs every server on one shared set of loops, so a health probe on the
 * management port would still queue behind the request handling of the API's connections on the same loop: under
 * overload, exactly when an orchestrator's liveness and readiness probes must answer promptly. Two loop threads are
 * plenty for probes and a Prometheus scrape.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementServerLoops {

    static final String THREAD_PREFIX = "management-http";

    @Bean(destroyMethod = "dispose")
    LoopResources managementLoopResources() {
        return LoopResources.create(THREAD_PREFIX, 2, true);
    }

    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementServerOnItsOwnLoops(LoopResources loops) {
        return factory -> factory.addServerCustomizers(server -> server.runOn(loops));
    }
}
