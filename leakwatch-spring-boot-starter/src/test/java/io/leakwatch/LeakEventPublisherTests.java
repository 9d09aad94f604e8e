package io.leakwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakReport;
import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HistogramDiffs;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.heap.LiveHistogram;
import io.leakwatch.profile.Frame;
import io.leakwatch.profile.ProfilerSettings;
import io.leakwatch.profile.SuspectSessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** Leak events with the seed's short diff attached, taken from this JVM's real histograms. */
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
	void aLeakEventCarriesWhatGrewOverTheWindowAndItsLogLineSaysIt() throws Exception {
		LeakDiffer differ = new LeakDiffer(LeakDiffer.Mode.HISTOGRAM, Duration.ofMillis(500), Duration.ofHours(1),
				DiffQuery.of(20, null), this.diffs, null, Clock.systemUTC());
		LeakEventPublisher publisher = new LeakEventPublisher(this.events::add, differ, null);
		try {
			// The leak goes on until the event arrives, so it spans the diff's window however slow the
			// histograms are on a loaded machine.
			AtomicBoolean published = new AtomicBoolean();
			Thread leak = new Thread(() -> {
				for (int i = 0; i < 500_000 && !published.get(); i++) {
					synchronized (retained) {
						retained.add(new Leaked(i, i, i, i, i, i, i, i));
					}
					if (i % 25 == 0) {
						sleep(1);
					}
				}
			});
			leak.start();
			publisher.onLeak(report());
			LeakDetectedEvent event = (LeakDetectedEvent) this.events.poll(60, TimeUnit.SECONDS);
			published.set(true);
			leak.join();
			assertThat(event).isNotNull();
			assertThat(event.getDiff()).isNotNull();
			assertThat(event.getDiffNote()).isNull();
			assertThat(event.getDiff().change().details()).extracting((row) -> row.what()).contains(Leaked.class.getName());
			// The WARN line's text (where JUL writes depends on which test logged first).
			assertThat(LeakEventPublisher.describe(event.getDiff())).startsWith("Leak diff (class-histogram, ")
				.contains(Leaked.class.getName() + " +");
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

	@Test
	void withTheProfilerAlwaysOnALeakReportNamesTheHolderOfWhatGrew() throws Exception {
		try (SuspectSessions sessions = new SuspectSessions(SuspectSessions.Mode.ALWAYS, ProfilerSettings.defaults(), 5,
				3)) {
			LeakEventPublisher publisher = new LeakEventPublisher(this.events::add, null, sessions);
			try {
				// Before the base rises, samples have no stack trace: the holder is named, not the code.
				leakHolders();
				System.gc();
				publisher.onLeak(report());
				LeakDetectedEvent early = nextLeak();
				assertThat(early.getSuspects().top()).hasValueSatisfying((top) -> {
					assertThat(top.className()).isEqualTo(Holder.class.getName());
					assertThat(top.sites().get(0).frame()).isEqualTo(Frame.NO_STACK_TRACE);
					assertThat(top.oneLine()).contains("(allocation site unknown: sampled without a stack trace)");
					assertThat(top.chain()).isNotNull();
				});
				// The detector's base samples reach the sessions through the publisher: a new high turns
				// stack traces on, and what is sampled from then on names the code.
				long max = Runtime.getRuntime().maxMemory();
				publisher.onStats(stats(max / 10, 0, max));
				publisher.onStats(stats(max / 5, 60_000, max));
				assertThat(sessions.recordsStackTraces()).isTrue();
				leakHolders();
				System.gc();
				publisher.onLeak(report());
				LeakDetectedEvent event = nextLeak();
				assertThat(event.getDiff()).isNull();
				assertThat(event.getSuspects()).isNotNull();
				assertThat(event.getSuspects().top()).hasValueSatisfying((top) -> {
					assertThat(top.className()).isEqualTo(Holder.class.getName());
					assertThat(top.sites().get(0).frame().method()).isEqualTo("leakHolders");
				});
				// The log line (JUL's console handler keeps the stream of the test that first logged).
				// Usually the byte[] it holds was sampled ("holds byte[] allocated at"); a Holder that
				// happened to open a new TLAB is sampled itself.
				assertThat(LeakEventPublisher.suspect(event.getSuspects()))
					.startsWith("Leak suspect: " + Holder.class.getName() + " ")
					.contains("allocated at LeakEventPublisherTests.leakHolders(");
			}
			finally {
				publisher.close();
			}
		}
	}

	/** The next leak event, past the stats events the publisher also sends. */
	private LeakDetectedEvent nextLeak() throws InterruptedException {
		while (true) {
			Object event = this.events.poll(30, TimeUnit.SECONDS);
			assertThat(event).as("a leak event within 30 s").isNotNull();
			if (event instanceof LeakDetectedEvent leak) {
				return leak;
			}
		}
	}

	private static void leakHolders() {
		for (int i = 0; i < 40; i++) {
			retained.add(new Holder(new byte[256 * 1024]));
			// Garbage too: JFR emits a sample only once a collection has swept its dead ones.
			byte[] garbage = new byte[256 * 1024];
			garbage[0] = 1;
		}
	}

	private static HeapStats stats(long base, long millis, long heapMax) {
		return new HeapStats(1, 1, 0, 0, base, base, base, base, 3, heapMax, millis);
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

	record Holder(byte[] payload) {
	}

	/** 80 bytes each, 400 kb in all: more than the baseline histogram's own rows. */
	record Leaked(long a, long b, long c, long d, long e, long f, long g, long h) {
	}

}
