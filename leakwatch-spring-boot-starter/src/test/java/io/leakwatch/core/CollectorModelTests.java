package io.leakwatch.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorModelTests {

	@Test
	void g1YoungPauseIsYoungEvenWhenOldGenGrew() {
		assertThat(kinds(new GcSequence().g1Young(20, 100, 110))).containsExactly(GcKind.YOUNG);
	}

	@Test
	void g1MixedPauseFullAndConcurrentPausesAreOld() {
		GcSequence sequence = new GcSequence().g1Mixed(20, 120, 90).g1Full(200, 80).g1Concurrent(120, 100);
		assertThat(kinds(sequence)).containsExactly(GcKind.OLD, GcKind.OLD, GcKind.OLD);
	}

	@Test
	void g1ConcurrentPausesDoNotCountAsCompactions() {
		GcEvent remark = new GcSequence().g1Concurrent(120, 100).events().get(0);
		GcEvent full = new GcSequence().g1Full(200, 80).events().get(0);
		assertThat(CollectorModel.compacts(remark, GcKind.OLD)).isFalse();
		assertThat(CollectorModel.compacts(full, GcKind.OLD)).isTrue();
	}

	@Test
	void parallelAndSerial() {
		GcSequence sequence = new GcSequence().parallelYoung(60, 10, 20).parallelFull(100, 50).serialYoung(60, 10, 20)
			.serialFull(100, 50);
		assertThat(kinds(sequence)).containsExactly(GcKind.YOUNG, GcKind.OLD, GcKind.YOUNG, GcKind.OLD);
	}

	@Test
	void zgcCyclesAreOldAndPausesArePhases() {
		assertThat(kinds(new GcSequence().zgcCycle(100, 40))).containsExactly(GcKind.PHASE, GcKind.PHASE, GcKind.OLD);
	}

	@Test
	void generationalZgcMinorIsYoungAndMajorIsOld() {
		GcSequence sequence = new GcSequence().zgcMinor(80, 10, 20, 15).zgcMajor(80, 15, 20, 12);
		assertThat(kinds(sequence)).containsExactly(GcKind.PHASE, GcKind.YOUNG, GcKind.PHASE, GcKind.OLD);
	}

	@Test
	void shenandoahSingleGenerationCyclesAreOld() {
		assertThat(kinds(new GcSequence().shenandoahCycle(100, 40))).containsExactly(GcKind.PHASE, GcKind.PHASE,
				GcKind.OLD);
	}

	@Test
	void generationalShenandoahCycleIsOldOnlyWhenOldGenShrank() {
		GcSequence sequence = new GcSequence().shenandoahGenerational(60, 20, 10, 25)
			.shenandoahGenerational(60, 40, 10, 30);
		assertThat(kinds(sequence)).containsExactly(GcKind.YOUNG, GcKind.OLD);
	}

	@Test
	void generationalShenandoahOldMarkingIsOldAndItsBaseIsTheOldGeneration() {
		// As JDK 25 reports them: a young cycle empties most of the young generation; the old marking and its
		// coalesce-and-fill leave it as they found it (young 20 -> 21, 49 -> 49 MB) and do not shrink old.
		GcSequence sequence = new GcSequence().shenandoahGenerational(31, 31, 20, 33)
			.shenandoahGenerational(20, 33, 21, 33)
			.shenandoahGenerational(49, 45, 49, 45);
		assertThat(kinds(sequence)).containsExactly(GcKind.YOUNG, GcKind.OLD, GcKind.OLD);
		GcEvent oldMarking = sequence.events().get(1);
		assertThat(CollectorModel.baseOf(oldMarking)).isEqualTo(33 * GcSequence.MB);
		assertThat(CollectorModel.compacts(oldMarking, GcKind.OLD)).isFalse();
		assertThat(CollectorModel.isShenandoahOldCycle(sequence.events().get(0))).isFalse();
	}

	@Test
	void generationalShenandoahExplicitCycleIsGlobal() {
		GcSequence sequence = new GcSequence().add("Shenandoah Cycles", "end of GC cycle", "System.gc()", 80, 60, 40, 45);
		assertThat(kinds(sequence)).containsExactly(GcKind.OLD);
	}

	@Test
	void unknownCollectorFallsBackToItsAction() {
		GcSequence sequence = new GcSequence().add("Future Young", "end of minor GC", "x", 10, 5, -1, -1)
			.add("Future Old", "end of major GC", "x", 10, 5, -1, -1)
			.add("Future Pause", "end of GC pause", "x", 10, 5, -1, -1);
		assertThat(kinds(sequence)).containsExactly(GcKind.YOUNG, GcKind.OLD, GcKind.PHASE);
	}

	private static List<GcKind> kinds(GcSequence sequence) {
		return sequence.events().stream().map(CollectorModel::classify).toList();
	}

}
