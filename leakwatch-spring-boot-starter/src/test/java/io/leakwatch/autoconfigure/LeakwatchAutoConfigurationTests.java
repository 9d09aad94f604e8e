package io.leakwatch.autoconfigure;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class LeakwatchAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LeakwatchAutoConfiguration.class));

	@Test
	void runsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LeakDetector.class);
			assertThat(context.getBean(LeakDetector.class).collectors()).isNotEmpty();
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("leakwatch.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LeakDetector.class));
	}

	@Test
	void backsOffWhenUserProvidedDetectorIsPresent() {
		this.contextRunner.withUserConfiguration(UserDetectorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LeakDetector.class);
			assertThat(context).hasBean("userDetector");
		});
	}

	@Test
	void bindsDetectorProperties() {
		this.contextRunner
			.withPropertyValues("leakwatch.detector.warm-up=5s", "leakwatch.detector.consecutive-growth=7",
					"leakwatch.detector.trend-window=20", "leakwatch.detector.slow-trend-window=6h")
			.run((context) -> {
				DetectorSettings settings = context.getBean(LeakwatchProperties.class).getDetector().toSettings();
				assertThat(settings.warmUp()).hasSeconds(5);
				assertThat(settings.consecutiveGrowth()).isEqualTo(7);
				assertThat(settings.trendWindow()).isEqualTo(20);
				assertThat(settings.slowTrendWindow()).hasHours(6);
			});
	}

	@Test
	void propertyDefaultsAreTheCoreDefaults() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(LeakwatchProperties.class).getDetector().toSettings())
			.isEqualTo(DetectorSettings.defaults()));
	}

	@Test
	void failsToStartWithAClearMessageOnABadSetting() {
		this.contextRunner.withPropertyValues("leakwatch.detector.consecutive-growth=1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("consecutiveGrowth must be at least 2");
		});
	}

	@Test
	void failsToStartOnASlowTrendWindowShorterThanItsTest() {
		this.contextRunner.withPropertyValues("leakwatch.detector.slow-trend-window=1m").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("slowTrendWindow must be at least 2 minutes");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDetectorConfiguration {

		@Bean(destroyMethod = "close")
		LeakDetector userDetector() {
			return LeakDetector.start(DetectorSettings.defaults(), new LeakListener() {
			}, false);
		}

	}

}
