package io.leakwatch.corpus;

import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The corpus's second baseline: the alert a team would write on Micrometer's own
 * {@code jvm.gc.live.data.size} without leakwatch, so the corpus shows what leakwatch adds to the
 * meters every Spring Boot service already has.
 *
 * <p>
 * {@link JvmGcMetrics} on a {@link SimpleMeterRegistry} sets the gauge from the old generation's usage
 * after each collection it takes for a major one. This alert samples it every second, as a scraper
 * would, and fires when it rose by more than {@value #THRESHOLD_PERCENT} % of the maximum heap over the
 * last {@value #WINDOW_SECONDS} s (Prometheus: {@code delta(jvm_gc_live_data_size_bytes[60s]) >
 * 0.10 * jvm_memory_max_bytes}), ignoring samples at 0 (no major collection yet). The window is
 * one minute because that is the shortest a scrape-based rule can use with confidence at the usual
 * 15 s scrape interval; 10 % because a smaller rise within a minute is within what batch work and cache
 * warm-up do in a healthy service, and the corpus's leaks of 4-10 MB/s (1.5-4 % of a 256 MB heap per
 * second) cross it within seconds. A slow leak of 1 % per minute never crosses it, by design of such a
 * rule. After firing it stays quiet for one window, as an alert manager's repeat interval would.
 */
final class LiveDataAlert implements AutoCloseable {

	static final int WINDOW_SECONDS = 60;

	static final double THRESHOLD_PERCENT = 10;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final JvmGcMetrics metrics = new JvmGcMetrics();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "live-data-alert");
		thread.setDaemon(true);
		return thread;
	});

	private final ArrayDeque<Long> window = new ArrayDeque<>();

	private final AtomicLong alerts = new AtomicLong();

	private final long threshold;

	private final Alert alert;

	private long quietUntil;

	private long second;

	/** Receives an alert. */
	interface Alert {

		void fire(long rise, long value);

	}

	private LiveDataAlert(long max, Alert alert) {
		this.threshold = Math.round(max * THRESHOLD_PERCENT / 100);
		this.alert = alert;
	}

	static LiveDataAlert start(long max, Alert alert) {
		LiveDataAlert live = new LiveDataAlert(max, alert);
		live.metrics.bindTo(live.registry);
		live.scheduler.scheduleAtFixedRate(live::sample, 1, 1, TimeUnit.SECONDS);
		return live;
	}

	boolean fired() {
		return this.alerts.get() > 0;
	}

	long alerts() {
		return this.alerts.get();
	}

	private void sample() {
		Gauge gauge = this.registry.find("jvm.gc.live.data.size").gauge();
		long value = (gauge != null) ? (long) gauge.value() : 0;
		this.second++;
		if (value <= 0) {
			return;
		}
		this.window.addLast(value);
		if (this.window.size() > WINDOW_SECONDS + 1) {
			this.window.removeFirst();
		}
		long rise = value - this.window.getFirst();
		if (rise > this.threshold && this.second >= this.quietUntil) {
			this.quietUntil = this.second + WINDOW_SECONDS;
			this.alerts.incrementAndGet();
			this.alert.fire(rise, value);
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.metrics.close();
	}

}
