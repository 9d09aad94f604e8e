package io.leakwatch.profile;

import io.leakwatch.core.HeapStats;
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

	private static HeapStats stats(long base, long millis) {
		return new HeapStats(1, 1, 0, 0, base, base, base, base, 3, 1024 * MB, millis);
	}

}
