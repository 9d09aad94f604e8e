package io.leakwatch.autoconfigure;

import io.leakwatch.actuate.HeapDumpDiffEndpoint;
import io.leakwatch.actuate.HeapDumpDiffEndpointWebExtension;
import io.leakwatch.actuate.HeapDumpDiffPathMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's conditions. A bare context runner converts {@code Access} values without Spring Boot's
 * lenient enum conversion, hence upper case here; {@code HeapDiffHttpTests} uses the documented lower case.
 */
class HeapDumpDiffEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				HeapDiffAutoConfiguration.class, LeakwatchAutoConfiguration.class,
				HeapDumpDiffEndpointAutoConfiguration.class));

	@Test
	void backsOffWhenExposedButAccessNotGranted() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).doesNotHaveBean(HeapDumpDiffEndpoint.class));
	}

	@Test
	void runsWhenAccessGrantedAndExposedOverTheWeb() {
		this.contextRunner
			.withPropertyValues("management.endpoint.heapdump-diff.access=UNRESTRICTED",
					"management.endpoints.web.exposure.include=heapdump-diff")
			.run((context) -> {
				assertThat(context).hasSingleBean(HeapDumpDiffEndpoint.class);
				assertThat(context).hasSingleBean(HeapDumpDiffEndpointWebExtension.class);
				assertThat(context.getBean(HeapDumpDiffPathMapper.class)
					.getRootPath(EndpointId.of(HeapDumpDiffEndpoint.ID))).isEqualTo("heapdump-diff");
			});
	}

	@Test
	void userPathMappingWins() {
		this.contextRunner
			.withPropertyValues("management.endpoint.heapdump-diff.access=UNRESTRICTED",
					"management.endpoints.web.exposure.include=heapdump-diff",
					"management.endpoints.web.path-mapping.heapdump-diff=dumps")
			.run((context) -> assertThat(context.getBean(HeapDumpDiffPathMapper.class)
				.getRootPath(EndpointId.of(HeapDumpDiffEndpoint.ID))).isNull());
	}

	@Test
	void backsOffWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoint.heapdump-diff.access=UNRESTRICTED")
			.run((context) -> assertThat(context).doesNotHaveBean(HeapDumpDiffEndpoint.class));
	}

	@Test
	void backsOffWhenActuatorIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoint.heapdump-diff.access=UNRESTRICTED",
					"management.endpoints.web.exposure.include=heapdump-diff")
			.run((context) -> assertThat(context).doesNotHaveBean(HeapDumpDiffEndpoint.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner
			.withPropertyValues("leakwatch.enabled=false", "management.endpoint.heapdump-diff.access=UNRESTRICTED",
					"management.endpoints.web.exposure.include=heapdump-diff")
			.run((context) -> assertThat(context).doesNotHaveBean(HeapDumpDiffEndpoint.class));
	}

}
