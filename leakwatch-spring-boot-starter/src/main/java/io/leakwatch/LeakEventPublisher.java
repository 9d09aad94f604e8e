package io.leakwatch;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakListener;
import io.leakwatch.core.LeakReport;
import org.springframework.context.ApplicationEventPublisher;

/** Bridges the detector's listener to Spring application events. */
public final class LeakEventPublisher implements LeakListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a bridge.
	 * @param publisher where events go
	 */
	public LeakEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onStats(HeapStats stats) {
		this.publisher.publishEvent(new HeapStatsEvent(this, stats));
	}

	@Override
	public void onLeak(LeakReport report) {
		this.publisher.publishEvent(new LeakDetectedEvent(this, report));
	}

}
