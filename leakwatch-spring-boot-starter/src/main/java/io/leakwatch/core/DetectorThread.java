package io.leakwatch.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The detector's one daemon thread, fed through a bounded queue, woken at most once per batch interval.
 *
 * <p>
 * Why not a single-thread executor: an executor wakes its thread for every task, so a service that
 * collects dozens of times a second would pay a thread wake-up (a futex call and a context switch on
 * each side) per collection, several times the analysis itself. Leak detection needs no
 * millisecond latency, so this thread sleeps for the batch interval after each batch and takes what
 * came in meanwhile in one go: at most one wake-up per interval under load, none while the JVM does
 * not collect (it then waits on the empty queue). Tasks run in the order they were submitted.
 */
final class DetectorThread implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(LeakDetector.class.getName());

	private final BlockingQueue<Runnable> queue;

	private final Thread thread;

	private final long batchMillis;

	private volatile boolean closed;

	private boolean warnedFailure;

	private DetectorThread(String name, int capacity, Duration batchInterval) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.batchMillis = batchInterval.toMillis();
		this.thread = new Thread(this::run, name);
		this.thread.setDaemon(true);
	}

	/**
	 * Starts the thread.
	 * @param name the thread's name
	 * @param capacity how many tasks may wait; more are refused
	 * @param batchInterval how long the thread sleeps after each batch
	 * @return the running thread
	 */
	static DetectorThread start(String name, int capacity, Duration batchInterval) {
		DetectorThread detectorThread = new DetectorThread(name, capacity, batchInterval);
		detectorThread.thread.start();
		return detectorThread;
	}

	/**
	 * Queues a task without waiting and without waking the thread when it is sleeping between batches.
	 * @param task the task
	 * @return whether it was queued: false when the queue is full or the thread closed
	 */
	boolean submit(Runnable task) {
		return !this.closed && this.queue.offer(task);
	}

	private void run() {
		try {
			while (!this.closed) {
				Runnable task = this.queue.take();
				while (task != null && !this.closed) {
					runSafely(task);
					task = this.queue.poll();
				}
				Thread.sleep(this.batchMillis);
			}
		}
		catch (InterruptedException ex) {
			// Closed.
		}
		this.queue.clear();
	}

	/**
	 * Runs a task, logging its first failure only: a bug in the rule must cost one sample, not the
	 * detector its thread nor the application a stack trace per collection.
	 */
	private void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			if (!this.warnedFailure) {
				this.warnedFailure = true;
				logger.log(Level.WARNING, "leakwatch could not analyze a collection; later failures are not logged", ex);
			}
		}
	}

	/** Stops the thread; tasks still queued are dropped. */
	@Override
	public void close() {
		this.closed = true;
		this.thread.interrupt();
	}

}
