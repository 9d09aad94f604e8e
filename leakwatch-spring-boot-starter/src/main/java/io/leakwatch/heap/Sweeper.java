package io.leakwatch.heap;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends expired diffs on time even when no request arrives, so an abandoned diff's files do not wait
 * for the next caller to be deleted. One daemon thread, started with the first diff, idle between
 * sweeps; an application that never takes a diff never has the thread.
 */
final class Sweeper implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(Sweeper.class.getName());

	private final String name;

	private final long periodMillis;

	private final Runnable sweep;

	private ScheduledExecutorService executor;

	private boolean closed;

	/**
	 * Starts sweeping.
	 * @param name the thread's name
	 * @param ttl the shortest time to live swept: sweeps run at a quarter of it, between 50 ms and 10 s
	 * @param sweep what to run
	 */
	Sweeper(String name, Duration ttl, Runnable sweep) {
		this.name = name;
		this.periodMillis = Math.max(50, Math.min(10_000, ttl.toMillis() / 4));
		this.sweep = sweep;
	}

	/** Starts the thread unless it runs already (or the sweeper is closed). */
	synchronized void start() {
		if (this.executor != null || this.closed) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, this.name);
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::sweepSafely, this.periodMillis, this.periodMillis,
				TimeUnit.MILLISECONDS);
	}

	private void sweepSafely() {
		try {
			this.sweep.run();
		}
		catch (Throwable ex) {
			// A throwing task would stop every later sweep.
			logger.log(System.Logger.Level.WARNING, "Could not end expired diffs", ex);
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

}
