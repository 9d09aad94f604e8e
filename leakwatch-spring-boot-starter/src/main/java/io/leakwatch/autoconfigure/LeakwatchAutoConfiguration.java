package io.leakwatch.autoconfigure;

import io.leakwatch.LeakEventPublisher;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.profile.SuspectSessions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link LeakDetector}: it watches every collector from start-up and starts
 * its warm-up again when the application is ready.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "leakwatch.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeakwatchProperties.class)
public final class LeakwatchAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeakDetector leakDetector(LeakwatchProperties properties, LeakEventPublisher leakEventPublisher) {
		LeakwatchProperties.Detector detector = properties.getDetector();
		return LeakDetector.start(detector.toSettings(), leakEventPublisher, detector.isJfrForG1());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeakEventPublisher leakEventPublisher(ApplicationEventPublisher publisher, ObjectProvider<LeakDiffer> differ,
			ObjectProvider<SuspectSessions> suspects) {
		return new LeakEventPublisher(publisher, differ.getIfAvailable(), suspects.getIfAvailable());
	}

	/** What the application allocated while starting is not a leak: the warm-up starts once it is ready. */
	@Bean
	ApplicationListener<ApplicationReadyEvent> leakwatchWarmUpOnReady(ObjectProvider<LeakDetector> detector) {
		return (event) -> detector.ifAvailable(LeakDetector::restartWarmUp);
	}

}
