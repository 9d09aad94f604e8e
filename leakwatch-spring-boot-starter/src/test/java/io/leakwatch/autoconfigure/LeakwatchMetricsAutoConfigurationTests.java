package io.leakwatch.autoconfigure;

import java.util.List;

import io.leakwatch.core.LeakDetector;
import io.leakwatch.metrics.LeakwatchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class LeakwatchMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(LeakwatchAutoConfiguration.class, LeakwatchMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void registersMetersWhenARegistryIsPresent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LeakwatchMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(LeakwatchMetrics.class).bindTo(registry);
			assertThat(registry.get("leakwatch.heap.base.current").gauge().value()).isNotNegative();
			assertThat(registry.get("leakwatch.leak.suspected").gauge().value()).isZero();
			assertThat(registry.get("leakwatch.leaks").functionCounter().count()).isZero();
			assertThat(registry.getMeters().stream().map((meter) -> meter.getId().getName()).distinct().toList())
				.containsExactlyInAnyOrder("leakwatch.heap.base.current", "leakwatch.heap.base.estimated",
						"leakwatch.heap.base.min", "leakwatch.heap.base.max", "leakwatch.heap.usage.trend",
						"leakwatch.leak.suspected", "leakwatch.leaks", "leakwatch.gc.full", "leakwatch.gc.incremental",
						"leakwatch.heap.compactions", "leakwatch.heap.base.samples");
		});
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(LeakwatchAutoConfiguration.class, LeakwatchMetricsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(LeakDetector.class);
				assertThat(context).doesNotHaveBean(LeakwatchMetrics.class);
			});
	}

	@Test
	void backsOffWhenMicrometerIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(LeakwatchMetrics.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("leakwatch.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LeakwatchMetrics.class));
	}

	@Test
	void backsOffWhenUserProvidedMetricsArePresent() {
		this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LeakwatchMetrics.class);
			assertThat(context).hasBean("userMetrics");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		LeakwatchMetrics userMetrics(LeakDetector detector) {
			return new LeakwatchMetrics(detector, List.of());
		}

	}

}
