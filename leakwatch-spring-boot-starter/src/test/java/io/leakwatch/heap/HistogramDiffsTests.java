package io.leakwatch.heap;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.leakwatch.profile.ProfilerSettings;
import io.leakwatch.profile.SuspectSessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Histogram diffs on this JVM's real class histogram. */
class HistogramDiffsTests {

	static final List<Grower> retained = new ArrayList<>();

	static final List<Payload> retainedPayloads = new ArrayList<>();

	private final HistogramDiffs diffs = new HistogramDiffs(3, Duration.ofMinutes(1), LiveHistogram::take,
			Clock.systemUTC());

	@AfterEach
	void close() {
		this.diffs.close();
		retained.clear();
	}

	@Test
	void theClassThatGrewTopsTheDiffWithItsExactCount() {
		HistogramDiffs.OpenDiff open = this.diffs.start();
		assertThat(this.diffs.list()).extracting(HistogramDiffs.OpenDiff::id).containsExactly(open.id());
		for (int i = 0; i < 12_345; i++) {
			retained.add(new Grower(i));
		}
		HeapDiff diff = this.diffs.end(open.id(), DiffQuery.of(20, null));
		assertThat(diff.source()).isEqualTo("class-histogram");
		assertThat(diff.sizesEstimated()).isFalse();
		// Other tests' contexts in this JVM allocate too, so the row is found by name; the HTTP test
		// asserts that a grown class tops the diff.
		HeapDiff.Detail top = row(diff, Grower.class.getName());
		assertThat(top.what()).isEqualTo(Grower.class.getName());
		assertThat(top.added()).isEqualTo(12_345);
		assertThat(top.removed()).isZero();
		assertThat(top.instancesBefore()).isZero();
		assertThat(top.sizeBytes()).isBetween(12_345L * 16, 12_345L * 24).isEqualTo(top.sizeBytes() / 12_345 * 12_345);
		assertThat(diff.change().details()).hasSizeLessThanOrEqualTo(20);
		assertThat(diff.change().details()).as("the baseline is packed, not one object per row")
			.noneMatch((detail) -> detail.what().equals(ClassHistogram.Row.class.getName()));
		assertThat(this.diffs.list()).isEmpty();
		assertThatThrownBy(() -> this.diffs.end(open.id(), DiffQuery.of(null, null)))
			.isInstanceOf(HeapDiffException.class).hasMessageContaining("No open histogram diff");
	}

	@Test
	void withTheProfilerOffADiffSaysWhyItHasNoSuspects() {
		HistogramDiffs.OpenDiff open = this.diffs.start();
		HeapDiff diff = this.diffs.end(open.id(), DiffQuery.of(3, null));
		assertThat(diff.suspects().available()).isFalse();
		assertThat(diff.suspects().unavailableReason()).contains("leakwatch.profiler=off");
	}

	@Test
	void withTheProfilerOnADiffNamesTheCodeThatAllocatedWhatGrew() {
		try (SuspectSessions sessions = new SuspectSessions(SuspectSessions.Mode.DIFFS, ProfilerSettings.defaults(), 5, 3);
				HistogramDiffs profiled = new HistogramDiffs(1, Duration.ofMinutes(1), LiveHistogram::take,
						Clock.systemUTC(), sessions)) {
			HistogramDiffs.OpenDiff open = profiled.start();
			for (int i = 0; i < 60; i++) {
				retained.add(new Grower(i));
				retainedPayloads.add(new Payload(new byte[128 * 1024]));
				byte[] garbage = new byte[128 * 1024];
				garbage[0] = 1;
			}
			HeapDiff diff = profiled.end(open.id(), DiffQuery.of(10, null));
			assertThat(diff.suspects().available()).isTrue();
			// Payload sits in leakwatch's own package, whose classes are never suspects, so the suspect is
			// the byte[] it holds (the sample's IT checks that an application's holder comes first).
			assertThat(diff.suspects().top()).hasValueSatisfying((top) -> {
				assertThat(top.className()).isEqualTo("byte[]");
				assertThat(top.sites().get(0).frame().method())
					.isEqualTo("withTheProfilerOnADiffNamesTheCodeThatAllocatedWhatGrew");
				assertThat(top.chain().passesThrough(Payload.class.getName(), "bytes")).isTrue();
			});
		}
		finally {
			retainedPayloads.clear();
		}
	}

	@Test
	void anAbandonedDiffExpires() {
		try (HistogramDiffs shortLived = new HistogramDiffs(1, Duration.ofMillis(300), LiveHistogram::take,
				Clock.systemUTC())) {
			shortLived.start();
			assertThatThrownBy(shortLived::start).isInstanceOf(HeapDiffException.class)
				.hasMessageContaining("Too many open");
			// The sweeper thread ends it without any further request.
			await().atMost(Duration.ofSeconds(5)).until(() -> shortLived.list().isEmpty());
			assertThat(shortLived.start().id()).isNotBlank();
		}
	}

	@Test
	void aRequestWaitsForAnotherHistogramAndGets429OnlyAfterTheWait() throws Exception {
		// The sample's test met leakwatch's own leak diff taking its histogram, and got 429 at once.
		CountDownLatch taking = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		boolean[] block = { true };
		try (HistogramDiffs slow = new HistogramDiffs(3, Duration.ofMinutes(1), () -> {
			if (block[0]) {
				block[0] = false;
				taking.countDown();
				awaitQuietly(release);
			}
			return LiveHistogram.take();
		}, Clock.systemUTC(), SuspectSessions.off(), Duration.ofMillis(300))) {
			Thread first = new Thread(slow::start);
			first.start();
			assertThat(taking.await(10, TimeUnit.SECONDS)).isTrue();
			long started = System.nanoTime();
			assertThatThrownBy(slow::start).isInstanceOfSatisfying(HeapDiffException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo(HeapDiffException.Reason.BUSY));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
			new Thread(() -> {
				sleep(100);
				release.countDown();
			}).start();
			assertThat(slow.start().id()).isNotBlank();
			first.join();
			assertThat(slow.list()).hasSize(2);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void aFailedSecondSnapshotKeepsTheDiffOpen() {
		boolean[] fail = { false };
		try (HistogramDiffs flaky = new HistogramDiffs(1, Duration.ofMinutes(1), () -> {
			if (fail[0]) {
				throw new HeapDiffException(HeapDiffException.Reason.FAILED, "boom");
			}
			return LiveHistogram.take();
		}, Clock.systemUTC())) {
			HistogramDiffs.OpenDiff open = flaky.start();
			fail[0] = true;
			assertThatThrownBy(() -> flaky.end(open.id(), DiffQuery.of(null, null))).hasMessage("boom");
			fail[0] = false;
			assertThat(flaky.end(open.id(), DiffQuery.of(null, null)).id()).isEqualTo(open.id());
		}
	}

	@Test
	void aLeakDiffOverAWindow() throws Exception {
		LeakDiffer differ = new LeakDiffer(LeakDiffer.Mode.HISTOGRAM, Duration.ofMillis(200), Duration.ofHours(1),
				DiffQuery.of(20, null), this.diffs, null, Clock.systemUTC());
		assertThat(differ.tryAcquire()).isTrue();
		Thread grower = new Thread(() -> {
			for (int i = 0; i < 5_000; i++) {
				synchronized (retained) {
					retained.add(new Grower(i));
				}
			}
		});
		HeapDiff[] result = new HeapDiff[1];
		Thread taker = new Thread(() -> {
			try {
				result[0] = differ.diff();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		taker.start();
		Thread.sleep(50);
		grower.start();
		grower.join();
		taker.join();
		assertThat(row(result[0], Grower.class.getName()).added()).isEqualTo(5_000);
		assertThat(Duration.between(result[0].before().time(), result[0].after().time()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(differ.tryAcquire()).as("rate limited").isFalse();
	}

	@Test
	void parsesTheHistogramText() {
		ClassHistogram histogram = LiveHistogram.parse("""
				 num     #instances         #bytes  class name (module)
				-------------------------------------------------------
				   1:         15948        1080296  [B (java.base@17.0.15)
				   2:            12            288  com.example.Thing
				   3:             2             64  [[Ljava.lang.Object; (java.base@17.0.15)
				Total         15962        1080648
				""", 7);
		assertThat(histogram.rows()).containsExactly(new ClassHistogram.Row("byte[]", null, 15948, 1080296),
				new ClassHistogram.Row("com.example.Thing", null, 12, 288),
				new ClassHistogram.Row("java.lang.Object[][]", null, 2, 64));
		assertThatThrownBy(() -> LiveHistogram.parse("GC.class_histogram: unknown", 0))
			.isInstanceOf(HeapDiffException.class).hasMessageContaining("no class rows");
	}

	static HeapDiff.Detail row(HeapDiff diff, String what) {
		return diff.change().details().stream().filter((detail) -> detail.what().equals(what)).findFirst()
			.orElseThrow(() -> new AssertionError(what + " not in " + diff.change().details()));
	}

	record Payload(byte[] bytes) {
	}

	record Grower(long value) {
	}

}
