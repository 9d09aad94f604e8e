package io.leakwatch.core;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The detector on this test JVM's own collector. */
class LeakDetectorTests {

	@Test
	void seesThisJvmsCollectionsAndStopsWhenClosed() throws Exception {
		CopyOnWriteArrayList<HeapStats> published = new CopyOnWriteArrayList<>();
		LeakDetector detector = LeakDetector.start(DetectorSettings.defaults().withWarmUp(Duration.ZERO),
				new LeakListener() {
					@Override
					public void onStats(HeapStats stats) {
						published.add(stats);
					}
				}, false);
		try {
			assertThat(detector.collectors()).isNotEmpty();
			System.gc();
			await().atMost(Duration.ofSeconds(10)).until(() -> detector.stats().baseSamples() >= 1);
			assertThat(detector.stats().numFullGc()).isPositive();
			assertThat(detector.stats().currentBase()).isPositive();
			assertThat(published).isNotEmpty();
		}
		finally {
			detector.close();
		}
		long samples = detector.stats().baseSamples();
		System.gc();
		Thread.sleep(300);
		assertThat(detector.stats().baseSamples()).isEqualTo(samples);
	}

}
