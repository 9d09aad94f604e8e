package io.leakwatch.autoconfigure;

import io.leakwatch.actuate.MemwatchEndpoint;
import io.leakwatch.actuate.MemwatchEndpointWebExtension;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.heap.HistogramDiffs;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for {@link MemwatchEndpoint}: only with Spring Boot's actuator on the classpath,
 * and only when the endpoint is exposed (over HTTP, JMX or both).
 */
@AutoConfiguration(after = { LeakwatchAutoConfiguration.class, HeapDiffAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ LeakDetector.class, HistogramDiffs.class })
@ConditionalOnAvailableEndpoint(MemwatchEndpoint.class)
public final class MemwatchEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemwatchEndpoint memwatchEndpoint(LeakDetector detector, HistogramDiffs histogramDiffs) {
		return new MemwatchEndpoint(detector, histogramDiffs);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MemwatchEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = MemwatchEndpoint.class, exposure = EndpointExposure.WEB)
	MemwatchEndpointWebExtension memwatchEndpointWebExtension(MemwatchEndpoint endpoint) {
		return new MemwatchEndpointWebExtension(endpoint);
	}

}
