package io.leakwatch.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DetectorThread}.
 */
class DetectorThreadTests {

	@Test
	void runsTasksInTheOrderTheyCameAfterAFailingOne() throws Exception {
		List<Integer> ran = new ArrayList<>();
		List<String> threads = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(1);
		try (DetectorThread thread = DetectorThread.start("test-detector", 100, Duration.ofMillis(200))) {
			assertThat(thread.submit(() -> {
				throw new IllegalStateException("a failing task costs itself only");
			})).isTrue();
			for (int i = 0; i < 50; i++) {
				int task = i;
				assertThat(thread.submit(() -> {
					ran.add(task);
					threads.add(Thread.currentThread().getName());
				})).isTrue();
			}
			assertThat(thread.submit(done::countDown)).isTrue();
			assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(ran).hasSize(50).isSorted();
		assertThat(threads).containsOnly("test-detector");
	}

	@Test
	void refusesTasksWhenItsQueueIsFullOrItIsClosed() throws Exception {
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		DetectorThread thread = DetectorThread.start("test-detector", 2, Duration.ofMillis(10));
		thread.submit(() -> {
			blocked.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(thread.submit(() -> {
		})).isTrue();
		assertThat(thread.submit(() -> {
		})).isTrue();
		assertThat(thread.submit(() -> {
		})).as("a third task while two wait").isFalse();
		release.countDown();
		thread.close();
		assertThat(thread.submit(() -> {
		})).as("after close").isFalse();
	}

}
