package io.leakwatch.corpus;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.leakwatch.corpus.CorpusRun.Jdk;
import io.leakwatch.corpus.CorpusRun.Result;
import io.leakwatch.corpus.CorpusRun.Spec;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusRunTests {

	private static final Spec SPEC = new Spec("cache", Jdk.current(), "Parallel", List.of("-XX:+UseParallelGC"), 70,
			0, 10_000);

	@Test
	void aLineCutByTheOutOfMemoryMessageEndsTheRunOutOfMemory() {
		// What the corpus's cache under Parallel printed as it died.
		Result result = CorpusRun.parse(SPEC, List.of("READY scenario=cache leaking=true leakStartMs=10100 max=1",
				"LEAKSTART ms=10100 n=3 memwatchSamples=0",
				"LEAK ms=41000 n=6 growth=1 basePercent=72.0 usedPercent=74.0 rule=fast reason=x",
				"MEMWATCH ms=58278 n=25 growth=534224 basePercent=Terminating due to java.lang.OutOfMemoryError: "
						+ "Java heap space"),
				60_000);
		assertThat(result.end()).isEqualTo("OOM");
		assertThat(result.leakwatch().millis()).isEqualTo(30_900);
		assertThat(result.memwatch()).isNull();
	}

}
