package io.leakwatch.autoconfigure;

import java.util.Collections;

import io.leakwatch.core.LeakDetector;
import io.leakwatch.metrics.LeakwatchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for leakwatch's Micrometer meters: only when Micrometer is present and a
 * {@link MeterRegistry} exists; Spring Boot binds every {@code MeterBinder} bean to it.
 */
@AutoConfiguration(after = LeakwatchAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ LeakDetector.class, MeterRegistry.class })
public final class LeakwatchMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LeakwatchMetrics leakwatchMetrics(LeakDetector detector) {
		return new LeakwatchMetrics(detector, Collections.emptyList());
	}

}
