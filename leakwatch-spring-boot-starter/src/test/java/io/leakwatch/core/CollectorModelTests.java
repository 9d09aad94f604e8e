package io.leakwatch.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.leakwatch.core.ShenandoahSessions.Session;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorModelTests {

	@Test
	void zgcPauseBeansAreNotListenedToButEveryCycleBeanAndShenandoahsPausesAre() {
		for (String pauses : List.of("ZGC Pauses", "ZGC Minor Pauses", "ZGC Major Pauses")) {
			assertThat(CollectorModel.informs(pauses)).as(pauses).isFalse();
			// Nothing is lost: the analysis takes their notifications for phases.
			assertThat(CollectorModel.classify(new GcEvent(pauses, "end of GC pause", "Allocation Rate", 1000, 1,
					0, 0, -1, -1), Session.OTHER)).isEqualTo(GcKind.PHASE);
		}
		for (String bean : List.of("ZGC Cycles", "ZGC Minor Cycles", "ZGC Major Cycles", "Shenandoah Pauses",
				"Shenandoah Cycles", "G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation", "PS Scavenge",
				"PS MarkSweep", "Copy", "MarkSweepCompact")) {
			assertThat(CollectorModel.informs(bean)).as(bean).isTrue();
		}
	}

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
		assertThat(CollectorModel.compacts(remark, GcKind.OLD, Session.OTHER)).isFalse();
		assertThat(CollectorModel.compacts(full, GcKind.OLD, Session.OTHER)).isTrue();
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
		assertThat(kinds(sequence)).containsExactly(GcKind.PHASE, GcKind.PHASE, GcKind.YOUNG, GcKind.PHASE,
				GcKind.PHASE, GcKind.OLD);
	}

	@Test
	void generationalShenandoahOldMarkingIsOldAndItsBaseIsTheOldGeneration() {
		// As JDK 25 reports them: the bootstrap young cycle, then the session that completes the old marking, with
		// a Final Mark pause and no Init Mark, which leaves the young generation as it found it (33 -> 33 MB).
		GcSequence sequence = new GcSequence().shenandoahGenerational(30, 39, 33, 41).shenandoahOldMarking(33, 41, 33, 41);
		assertThat(kinds(sequence)).containsExactly(GcKind.PHASE, GcKind.PHASE, GcKind.YOUNG, GcKind.PHASE,
				GcKind.OLD);
		GcEvent oldMarking = sequence.events().get(4);
		assertThat(CollectorModel.baseOf(oldMarking, Session.OLD_MARKING)).isEqualTo(41 * GcSequence.MB);
		assertThat(CollectorModel.compacts(oldMarking, GcKind.OLD, Session.OLD_MARKING)).isFalse();
	}

	@Test
	void generationalShenandoahYoungCycleWhoseSurvivorsFillTheYoungGenerationIsYoung() {
		// The corpus's batch job on JDK 25 (cycles 9 to 12 of a real run, in MB): a small young generation whose
		// objects all survive, promoted as the batch grows. The pools look like an old marking (young 5 -> 6,
		// old unchanged); the Init Mark pause says it is a young cycle. Taking such cycles as old markings gave
		// 821 bases in 35 s and a false alarm.
		GcSequence sequence = new GcSequence().shenandoahGenerational(5, 75, 6, 75)
			.shenandoahGenerational(6, 75, 5, 78)
			.shenandoahGenerational(6, 78, 7, 78)
			.shenandoahGenerational(7, 78, 8, 78);
		assertThat(kinds(sequence).stream().filter((kind) -> kind != GcKind.PHASE)).containsOnly(GcKind.YOUNG);
	}

	@Test
	void generationalShenandoahOldSessionsWithoutPausesArePhasesOfTheMarking() {
		// A marking increment that a young cycle preempted and the coalesce-and-fill step report no pause; they
		// are parts of one old marking, which gives one base when it completes.
		GcSequence sequence = new GcSequence().shenandoahOldStep(20, 60, 21, 60)
			.shenandoahGenerational(21, 60, 2, 63)
			.shenandoahOldMarking(3, 63, 4, 61)
			.shenandoahOldStep(4, 61, 5, 61);
		assertThat(kinds(sequence)).containsExactly(GcKind.PHASE, GcKind.PHASE, GcKind.PHASE, GcKind.YOUNG,
				GcKind.PHASE, GcKind.OLD, GcKind.PHASE);
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
		ShenandoahSessions sessions = new ShenandoahSessions();
		return sequence.events().stream().map((event) -> CollectorModel.classify(event, sessions.accept(event))).toList();
	}

}
