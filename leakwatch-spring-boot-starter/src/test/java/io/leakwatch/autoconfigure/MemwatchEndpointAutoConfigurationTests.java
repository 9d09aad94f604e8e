package io.leakwatch.autoconfigure;

import io.leakwatch.actuate.MemwatchEndpoint;
import io.leakwatch.actuate.MemwatchEndpointWebExtension;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.heap.HistogramDiffs;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MemwatchEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HeapDiffAutoConfiguration.class, LeakwatchAutoConfiguration.class,
						MemwatchEndpointAutoConfiguration.class));

	@Test
	void runsWhenExposedOverTheWeb() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=memwatch")
			.run((context) -> {
				assertThat(context).hasSingleBean(MemwatchEndpoint.class);
				assertThat(context).hasSingleBean(MemwatchEndpointWebExtension.class);
			});
	}

	@Test
	void runsWithoutWebExtensionWhenExposedOverJmxOnly() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=memwatch")
			.run((context) -> {
				assertThat(context).hasSingleBean(MemwatchEndpoint.class);
				assertThat(context).doesNotHaveBean(MemwatchEndpointWebExtension.class);
			});
	}

	@Test
	void backsOffWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MemwatchEndpoint.class));
	}

	@Test
	void backsOffWhenActuatorIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=memwatch")
			.run((context) -> {
				assertThat(context).hasSingleBean(LeakDetector.class);
				assertThat(context).doesNotHaveBean(MemwatchEndpoint.class);
			});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner
			.withPropertyValues("leakwatch.enabled=false", "management.endpoints.web.exposure.include=memwatch")
			.run((context) -> assertThat(context).doesNotHaveBean(MemwatchEndpoint.class));
	}

	@Test
	void backsOffWhenUserProvidedEndpointIsPresent() {
		this.contextRunner.withUserConfiguration(UserEndpointConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=memwatch")
			.run((context) -> {
				assertThat(context).hasSingleBean(MemwatchEndpoint.class);
				assertThat(context).hasBean("userEndpoint");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		MemwatchEndpoint userEndpoint(LeakDetector detector, HistogramDiffs histogramDiffs) {
			return new MemwatchEndpoint(detector, histogramDiffs);
		}

	}

}
