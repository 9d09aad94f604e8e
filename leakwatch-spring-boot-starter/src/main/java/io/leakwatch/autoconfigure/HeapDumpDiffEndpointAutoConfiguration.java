package io.leakwatch.autoconfigure;

import java.util.Map;

import io.leakwatch.actuate.HeapDumpDiffEndpoint;
import io.leakwatch.actuate.HeapDumpDiffEndpointWebExtension;
import io.leakwatch.actuate.HeapDumpDiffPathMapper;
import io.leakwatch.heap.HeapDumpDiffs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for {@link HeapDumpDiffEndpoint}: only when the user has granted it access (its
 * default access is none) and exposed it, and served at {@code /actuator/heapdump-diff}.
 */
@AutoConfiguration(after = HeapDiffAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(HeapDumpDiffs.class)
@ConditionalOnAvailableEndpoint(HeapDumpDiffEndpoint.class)
public final class HeapDumpDiffEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HeapDumpDiffEndpoint heapDumpDiffEndpoint(HeapDumpDiffs heapDumpDiffs) {
		return new HeapDumpDiffEndpoint(heapDumpDiffs);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(HeapDumpDiffEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = HeapDumpDiffEndpoint.class, exposure = EndpointExposure.WEB)
	HeapDumpDiffEndpointWebExtension heapDumpDiffEndpointWebExtension(HeapDumpDiffEndpoint endpoint,
			HeapDumpDiffs heapDumpDiffs) {
		return new HeapDumpDiffEndpointWebExtension(endpoint, heapDumpDiffs);
	}

	@Bean
	@ConditionalOnMissingBean
	HeapDumpDiffPathMapper heapDumpDiffPathMapper(ObjectProvider<WebEndpointProperties> properties) {
		return new HeapDumpDiffPathMapper(() -> {
			WebEndpointProperties web = properties.getIfAvailable();
			return (web != null) ? web.getPathMapping() : Map.of();
		});
	}

}
