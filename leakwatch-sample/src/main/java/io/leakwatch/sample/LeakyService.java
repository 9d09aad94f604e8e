package io.leakwatch.sample;

import io.leakwatch.core.Sizes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The seed's {@code setInterval(replaceThing, 100)}: every 100 ms {@code theThing} is replaced by a new
 * object whose closure captures the previous one, so the whole chain stays reachable from this field.
 * It starts once the application is ready, as a service's leak starts with its traffic.
 */
@Service
class LeakyService {

	private static final Log logger = LogFactory.getLog(LeakyService.class);

	private static final int STRING_LENGTH = 1_000_000;

	private final LeakProperties properties;

	private volatile LeakyThing theThing;

	private long retainedBytes;

	private volatile boolean ready;

	LeakyService(LeakProperties properties) {
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.ready = true;
	}

	@Scheduled(fixedRate = 100)
	void replaceThing() {
		if (!this.ready) {
			return;
		}
		if (this.properties.isEnabled() && this.retainedBytes >= this.properties.getLimit().toBytes()) {
			return;
		}
		LeakyThing originalThing = this.theThing;
		Runnable someMethod = this.properties.isEnabled() ? () -> {
			if (originalThing != null) {
				logger.trace("hi");
			}
		} : () -> logger.trace("hi");
		this.theThing = new LeakyThing("*".repeat(STRING_LENGTH), someMethod);
		if (this.properties.isEnabled()) {
			this.retainedBytes += STRING_LENGTH;
			if (this.retainedBytes >= this.properties.getLimit().toBytes()) {
				logger.info("The sample leak reached sample.leak.limit (" + Sizes.bytes(this.retainedBytes)
						+ ") and stops growing; restart the app to leak again");
			}
		}
	}

}
