package io.leakwatch.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link G1MixedPhases}, on the sequences {@code -Xlog:gc} showed under G1 on JDK 25.
 */
class G1MixedPhasesTests {

	private static final long MB = 1024 * 1024;

	private final G1MixedPhases phases = new G1MixedPhases();

	@Test
	void theYoungPausesAfterAMarkingThatShrinkTheOldGenerationAreMixed() {
		assertThat(accept(concurrent("G1 Remark"))).isFalse();
		assertThat(accept(concurrent("G1 Cleanup"))).isFalse();
		// Prepare Mixed: young only, it promotes.
		assertThat(accept(young(100, 104))).isFalse();
		assertThat(accept(young(104, 80))).isTrue();
		assertThat(accept(young(80, 70))).isTrue();
		// The phase is over at the first that promotes again; a later shrink is not mixed.
		assertThat(accept(young(70, 72))).isFalse();
		assertThat(accept(young(72, 60))).isFalse();
	}

	@Test
	void aMarkingThatFoundNothingToEvacuateEndsItsPhaseAtTheSecondYoungPause() {
		// The corpus's batch sawtooth: the one mixed collection after Prepare Mixed promotes more than it
		// evacuates, then the next concurrent start; or no candidates at all. A young pause that frees
		// humongous regions later is not mixed.
		accept(concurrent("G1 Remark"));
		accept(concurrent("G1 Cleanup"));
		assertThat(accept(young(100, 104))).isFalse();
		assertThat(accept(young(104, 110))).isFalse();
		assertThat(accept(young(110, 90))).isFalse();
	}

	@Test
	void withoutAMarkingNoYoungPauseIsMixed() {
		// Humongous regions freed in every pause, each concurrent start undone: no Remark.
		for (int i = 0; i < 10; i++) {
			assertThat(accept(young(100 + i, 90 + i))).isFalse();
		}
	}

	@Test
	void aFullCollectionEndsThePhase() {
		accept(concurrent("G1 Remark"));
		accept(new GcEvent("G1 Old Generation", "end of major GC", "System.gc()", 0, 10, 150 * MB, 50 * MB,
				100 * MB, 50 * MB));
		assertThat(accept(young(50, 45))).isFalse();
	}

	@Test
	void otherCollectorsAreNeverMixed() {
		accept(concurrent("G1 Remark"));
		assertThat(accept(new GcEvent("PS Scavenge", "end of minor GC", "Allocation Failure", 0, 1, 150 * MB,
				50 * MB, 60 * MB, 50 * MB))).isFalse();
	}

	private boolean accept(GcEvent event) {
		return this.phases.accept(event, CollectorModel.classify(event));
	}

	private static GcEvent concurrent(String cause) {
		return new GcEvent(CollectorModel.G1_CONCURRENT, "end of concurrent GC pause", cause, 0, 1, 150 * MB,
				150 * MB, 100 * MB, 100 * MB);
	}

	private static GcEvent young(long oldBeforeMb, long oldAfterMb) {
		return new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", 0, 5,
				(oldBeforeMb + 100) * MB, (oldAfterMb + 5) * MB, oldBeforeMb * MB, oldAfterMb * MB);
	}

}
