package io.leakwatch.sample;

import io.leakwatch.LeakDetectedEvent;
import io.leakwatch.core.Sizes;
import io.leakwatch.heap.HeapDiff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Shows how an application listens for leaks: here it only logs, a real one might page or dump. */
@Component
class LeakAlerts {

	private static final Log logger = LogFactory.getLog(LeakAlerts.class);

	@EventListener
	void onLeak(LeakDetectedEvent event) {
		logger.info("LeakDetectedEvent: the live heap grew " + Sizes.bytes(event.getGrowthBytes()) + " over "
				+ event.getSamples() + " samples in " + Sizes.duration(event.getDuration()) + " ("
				+ Sizes.bytes(event.getRateBytesPerHour()) + "/hr); base now "
				+ Sizes.bytes(event.getStats().currentBase()));
		if (event.getDiff() != null && !event.getDiff().change().details().isEmpty()) {
			HeapDiff.Detail top = event.getDiff().change().details().get(0);
			logger.info("Grew most over the leak diff: " + top.what() + " +" + top.added() + " (" + top.size() + ")");
		}
	}

}
