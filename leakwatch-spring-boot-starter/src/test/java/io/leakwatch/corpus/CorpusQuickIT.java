package io.leakwatch.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.leakwatch.corpus.CorpusRun.Jdk;
import io.leakwatch.corpus.CorpusRun.Result;
import io.leakwatch.corpus.CorpusRun.Spec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus's quick subset, run by {@code ./mvnw verify} on each JDK CI uses: the seed's leak and two
 * non-leaking scenarios (steady churn, a cache that warms up and plateaus) under G1 and ZGC (generational
 * on JDK 23 and later), two child JVMs at a time. The leak runs with {@code probe-interval=1s}, the
 * setting that bounds when G1 and ZGC examine the old generation (passive G1 may run no cycle at all
 * between 45 % and 98 % of the heap, see BENCHMARKS.md), so the bound asserted cannot depend on the CI
 * machine's load; the non-leaking runs are passive, the default. The full corpus is
 * {@link CorpusBenchmark}.
 */
class CorpusQuickIT {

	private static final long WARM_UP_MILLIS = 10_000;

	@Test
	void seedLeakIsDetectedAndHealthyHeapsRaiseNoAlarm() throws Exception {
		Jdk jdk = Jdk.current();
		Map<String, List<String>> collectors = jdk.collectors();
		List<Spec> specs = new ArrayList<>();
		for (String name : List.of("G1", (jdk.feature() >= 23) ? "ZGC-gen" : "ZGC")) {
			assertThat(collectors).containsKey(name);
			specs.add(new Spec("seed", jdk, name, collectors.get(name), 50, 1000, WARM_UP_MILLIS));
			specs.add(new Spec("churn", jdk, name, collectors.get(name), 30, 0, WARM_UP_MILLIS));
			specs.add(new Spec("plateau", jdk, name, collectors.get(name), 30, 0, WARM_UP_MILLIS));
		}
		List<Result> results = new ArrayList<>();
		// Two children at a time: the CI machine has two cores.
		for (int i = 0; i < specs.size(); i += 2) {
			CorpusRun.Started first = CorpusRun.start(specs.get(i), null);
			CorpusRun.Started second = CorpusRun.start(specs.get(i + 1), null);
			try {
				results.add(first.await());
				results.add(second.await());
			}
			finally {
				first.destroy();
				second.destroy();
			}
		}
		SoftAssertions softly = new SoftAssertions();
		for (Result result : results) {
			System.out.println(CorpusBenchmark.summary(result));
			String name = result.spec().scenario() + " under " + result.spec().collector() + ": " + result.lines();
			softly.assertThat(result.falseAlarms()[0]).as("leakwatch false alarms, " + name).isZero();
			if (result.leaking()) {
				softly.assertThat(result.leakwatch()).as("a leak event, " + name).isNotNull();
				if (result.leakwatch() != null) {
					// 10 MB/s fills the 256 MB heap in about 25 s from the leak's start; with the probe the
					// event comes before the live heap is half of it (the target). The heap in use,
					// garbage included, is held to 60 % as in SeedLeakIT: generational ZGC's seed has been
					// reported at 47-50 % in use in runs of the same code (BENCHMARKS.md), so a bound of 50 %
					// there failed one run in several without any change in the rule.
					softly.assertThat(result.leakwatch().millis()).as("ms from leak start, " + name)
						.isLessThan(15_000);
					softly.assertThat(result.leakwatch().basePercent()).as("live heap % at the event, " + name)
						.isLessThan(50.0);
					softly.assertThat(result.leakwatch().usedPercent()).as("heap used % at the event, " + name)
						.isLessThan(60.0);
				}
			}
			else {
				softly.assertThat(result.end()).as("the run completes, " + name).isEqualTo("DONE");
			}
		}
		softly.assertAll();
	}

}
