package io.leakwatch.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.leakwatch.LeakEventPublisher;
import io.leakwatch.heap.HeapDumpDiffs;
import io.leakwatch.heap.HistogramDiffs;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.heap.LiveHistogram;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HeapDiffAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeapDiffAutoConfiguration.class, LeakwatchAutoConfiguration.class));

	@Test
	void runsByDefaultWithLeakDiffsOff() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HistogramDiffs.class);
			assertThat(context).hasSingleBean(HeapDumpDiffs.class);
			assertThat(context.getBean(LeakDiffer.class).mode()).isEqualTo(LeakDiffer.Mode.OFF);
			assertThat(context.getBean(HeapDumpDiffs.class).directory().getFileName().toString())
				.isEqualTo("leakwatch-heapdumps-" + ProcessHandle.current().pid());
		});
	}

	@Test
	void bindsLeakDiffModeAndDumpDirectory() {
		this.contextRunner
			.withPropertyValues("leakwatch.leak-diff.mode=heap-dump", "leakwatch.heapdump-diff.directory=/tmp/lw-test")
			.run((context) -> {
				assertThat(context.getBean(LeakDiffer.class).mode()).isEqualTo(LeakDiffer.Mode.HEAP_DUMP);
				assertThat(context.getBean(HeapDumpDiffs.class).directory().getParent().toString())
					.isEqualTo("/tmp/lw-test");
				assertThat(context).hasSingleBean(LeakEventPublisher.class);
			});
	}

	@Test
	void failsToStartOnANonsensicalLimit() {
		this.contextRunner.withPropertyValues("leakwatch.histogram-diff.max-open=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("maxOpen must be at least 1"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("leakwatch.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(HistogramDiffs.class);
			assertThat(context).doesNotHaveBean(HeapDumpDiffs.class);
		});
	}

	@Test
	void backsOffWhenUserProvidedHistogramDiffsArePresent() {
		this.contextRunner.withUserConfiguration(UserDiffsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HistogramDiffs.class);
			assertThat(context).hasBean("userDiffs");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDiffsConfiguration {

		@Bean(destroyMethod = "close")
		HistogramDiffs userDiffs() {
			return new HistogramDiffs(1, Duration.ofMinutes(1), LiveHistogram::take, Clock.systemUTC());
		}

	}

}
