package io.leakwatch.autoconfigure;

import io.leakwatch.actuate.MemwatchEndpoint;
import io.leakwatch.core.LeakDetector;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
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
@AutoConfiguration(after = LeakwatchAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(LeakDetector.class)
@ConditionalOnAvailableEndpoint(MemwatchEndpoint.class)
public final class MemwatchEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemwatchEndpoint memwatchEndpoint(LeakDetector detector) {
		return new MemwatchEndpoint(detector);
	}

}
