package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.List;

import io.leakwatch.core.HeapStats;
import io.leakwatch.testapp.LeakyHolder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The always-on profiler in this JVM's own JDK Flight Recorder: samples record stack traces only while
 * a diff is open or the base rises (what the samples then say: {@code LeakEventPublisherTests}).
 */
class SuspectSessionsTests {

	private static final long MB = 1L << 20;

	@Test
	void alwaysRecordsStackTracesOnlyWhileADiffIsOpenOrTheBaseRises() {
		try (SuspectSessions sessions = new SuspectSessions(SuspectSessions.Mode.ALWAYS, ProfilerSettings.defaults(),
				5, 3)) {
			assertThat(sessions.recordsStackTraces()).isFalse();
			sessions.onStats(stats(100 * MB, 0));
			assertThat(sessions.recordsStackTraces()).isFalse();
			sessions.opened("d1");
			assertThat(sessions.recordsStackTraces()).isTrue();
			sessions.abandoned("d1");
			assertThat(sessions.recordsStackTraces()).isFalse();
			sessions.onStats(stats(150 * MB, 60_000));
			assertThat(sessions.recordsStackTraces()).isTrue();
			sessions.onStats(stats(140 * MB, 60_000 + BaseRise.HOLD.toMillis()));
			assertThat(sessions.recordsStackTraces()).isFalse();
		}
	}

	@Test
	void continuousStackTracesAreRecordedFromTheStart() {
		try (SuspectSessions sessions = new SuspectSessions(SuspectSessions.Mode.ALWAYS, ProfilerSettings.defaults(),
				5, 3, true)) {
			assertThat(sessions.recordsStackTraces()).isTrue();
			sessions.onStats(stats(100 * MB, 0));
			sessions.onStats(stats(100 * MB, BaseRise.HOLD.toMillis() * 2));
			assertThat(sessions.recordsStackTraces()).isTrue();
		}
	}

	@Test
	void theHolderIsNamedWhenManyOtherClassesGrewMore() {
		// A diff started as the application served its first requests: hundreds of framework classes grew
		// more than the few small objects that hold the leak.
		try (SuspectSessions sessions = new SuspectSessions(SuspectSessions.Mode.DIFFS, ProfilerSettings.defaults(),
				5, 3)) {
			sessions.opened("d1");
			for (int i = 0; i < 40; i++) {
				retained.add(new LeakyHolder(new byte[256 * 1024]));
				// Garbage too: JFR emits a sample only once a collection has swept its dead ones.
				byte[] garbage = new byte[256 * 1024];
				garbage[0] = 1;
			}
			System.gc();
			List<String> grown = new ArrayList<>();
			grown.add("byte[]");
			for (int i = 0; i < 300; i++) {
				grown.add("com.example.framework.Introspected" + i);
			}
			grown.add(LeakyHolder.class.getName());
			SuspectReport report = sessions.ended("d1", grown);
			assertThat(report.suspects()).isNotEmpty();
			assertThat(report.suspects().get(0).className()).as(report.toString()).isEqualTo(LeakyHolder.class.getName());
		}
		finally {
			retained.clear();
		}
	}

	static final List<Object> retained = new ArrayList<>();

	private static HeapStats stats(long base, long millis) {
		return new HeapStats(1, 1, 0, 0, base, base, base, base, 3, 1024 * MB, millis);
	}

}
