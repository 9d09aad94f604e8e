package io.leakwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakReport;
import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HistogramDiffs;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.heap.LiveHistogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak events with the seed's short diff attached, taken from this JVM's real histograms. */
@ExtendWith(OutputCaptureExtension.class)
class LeakEventPublisherTests {

	static final List<Object> retained = new ArrayList<>();

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final HistogramDiffs diffs = new HistogramDiffs(2, Duration.ofMinutes(1), LiveHistogram::take,
			Clock.systemUTC());

	@AfterEach
	void close() {
		this.diffs.close();
		retained.clear();
	}

	@Test
	void aLeakEventCarriesWhatGrewOverTheWindowAndTheLogSaysIt(CapturedOutput output) throws Exception {
		LeakDiffer differ = new LeakDiffer(LeakDiffer.Mode.HISTOGRAM, Duration.ofMillis(500), Duration.ofHours(1),
				DiffQuery.of(20, null), this.diffs, null, Clock.systemUTC());
		LeakEventPublisher publisher = new LeakEventPublisher(this.events::add, differ);
		try {
			Thread leak = new Thread(() -> {
				for (int i = 0; i < 5_000; i++) {
					synchronized (retained) {
						retained.add(new Leaked(i, i, i, i, i, i, i, i));
					}
					if (i % 25 == 0) {
						sleep(1);
					}
				}
			});
			publisher.onLeak(report());
			leak.start();
			LeakDetectedEvent event = (LeakDetectedEvent) this.events.poll(20, TimeUnit.SECONDS);
			leak.join();
			assertThat(event).isNotNull();
			assertThat(event.getDiff()).isNotNull();
			assertThat(event.getDiffNote()).isNull();
			assertThat(event.getDiff().change().details()).extracting((row) -> row.what()).contains(Leaked.class.getName());
			assertThat(output).contains("Leak diff (class-histogram, ").contains(Leaked.class.getName() + " +");
			// A second leak inside min-interval is published at once, without a diff, saying why.
			publisher.onLeak(report());
			LeakDetectedEvent second = (LeakDetectedEvent) this.events.poll(5, TimeUnit.SECONDS);
			assertThat(second.getDiff()).isNull();
			assertThat(second.getDiffNote()).contains("leakwatch.leak-diff.min-interval");
		}
		finally {
			publisher.close();
		}
	}

	@Test
	void withoutADifferTheEventIsPublishedAtOnce() throws Exception {
		LeakEventPublisher publisher = new LeakEventPublisher(this.events::add);
		publisher.onLeak(report());
		LeakDetectedEvent event = (LeakDetectedEvent) this.events.poll(1, TimeUnit.SECONDS);
		assertThat(event.getDiff()).isNull();
		assertThat(event.getDiffNote()).isNull();
		publisher.close();
	}

	private static LeakReport report() {
		Instant now = Instant.now();
		return new LeakReport(10 << 20, now.minusSeconds(10), now, 3.6e9, 5, "consecutive",
				"heap growth over 5 consecutive GCs (10s) - 3.35 gb/hr", 1 << 20, 11 << 20,
				HeapStats.empty(Runtime.getRuntime().maxMemory()));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** 80 bytes each, 400 kb in all: more than the baseline histogram's own rows. */
	record Leaked(long a, long b, long c, long d, long e, long f, long g, long h) {
	}

}
