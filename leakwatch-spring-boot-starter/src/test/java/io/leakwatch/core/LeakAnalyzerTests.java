package io.leakwatch.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static io.leakwatch.core.GcSequence.MB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LeakAnalyzerTests {

	private static final long HEAP_MAX = 1024 * MB;

	private final AtomicLong clock = new AtomicLong(1_000_000);

	private final List<LeakReport> leaks = new ArrayList<>();

	private final List<HeapStats> stats = new ArrayList<>();

	private final LeakListener listener = new LeakListener() {

		@Override
		public void onLeak(LeakReport report) {
			LeakAnalyzerTests.this.leaks.add(report);
		}

		@Override
		public void onStats(HeapStats heapStats) {
			LeakAnalyzerTests.this.stats.add(heapStats);
		}

	};

	private LeakAnalyzer analyzer(DetectorSettings settings) {
		return new LeakAnalyzer(settings, HEAP_MAX, this.clock::get, this.listener);
	}

	private LeakAnalyzer analyzer() {
		return analyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO));
	}

	private void feed(LeakAnalyzer analyzer, GcSequence sequence) {
		for (GcEvent event : sequence.events()) {
			this.clock.set(Math.max(this.clock.get(), event.endTimeMillis()));
			analyzer.accept(event);
		}
	}

	@Test
	void g1OldGenGrowingOverYoungPausesIsNotALeak() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long old = 50; old < 600; old += 5) {
			sequence.g1Young(100, old, old + 5);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
		assertThat(analyzer.stats().baseSamples()).isZero();
		assertThat(analyzer.stats().numIncGc()).isEqualTo(110);
	}

	@Test
	void healthyG1CyclesAreNotALeak() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int cycle = 0; cycle < 30; cycle++) {
			for (long old = 200; old < 400; old += 20) {
				sequence.g1Young(100, old, old + 20);
			}
			long after = 200 + (cycle % 3) * 4;
			sequence.g1Concurrent(400, 380).g1Mixed(100, 380, 290).g1Mixed(100, 290, after);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
		assertThat(analyzer.stats().baseSamples()).isEqualTo(90);
	}

	@Test
	void g1BaseGrowingOverConcurrentCyclesIsALeak() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base = 200; base <= 320; base += 20) {
			sequence.g1Young(100, base - 30, base - 10).g1Concurrent(base + 10, base).advance(10_000);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.rule()).isEqualTo("consecutive");
		assertThat(report.samples()).isEqualTo(6);
		assertThat(report.growthBytes()).isEqualTo(100 * MB);
		assertThat(report.reason()).startsWith("heap growth over 5 consecutive GCs (");
		assertThat(analyzer.isSuspected()).isTrue();
		assertThat(analyzer.leakCount()).isEqualTo(1);
	}

	@Test
	void reasonStatesGrowthRateInMemwatchFormat() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i <= 5; i++) {
			sequence.at(10_000_000 + i * 1600L).parallelFull(600, 100 + i * 10L);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		// 50 MB over 8 seconds is 22500 MB an hour.
		assertThat(report.reason()).isEqualTo("heap growth over 5 consecutive GCs (8s) - 21.97 gb/hr");
		assertThat(report.rateBytesPerHour()).isEqualTo(50.0 * MB * 450);
		assertThat(report.duration()).isEqualTo(Duration.ofSeconds(8));
	}

	@Test
	void startUpIsNotALeak() {
		LeakAnalyzer analyzer = analyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(60)));
		GcSequence sequence = new GcSequence().at(this.clock.get());
		for (long base = 20; base <= 200; base += 20) {
			sequence.zgcCycle(base + 100, base).advance(4000);
		}
		for (int i = 0; i < 40; i++) {
			sequence.zgcCycle(300, 200 + (i % 2) * 3).advance(4000);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
		assertThat(analyzer.stats().baseSamples()).isEqualTo(50);
	}

	@Test
	void firstSamplesAreNotGrowthFromZero() {
		// memwatch fired on start-up in a flat program: its first samples counted as growth from 0.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 50; i++) {
			sequence.serialFull(400, 150 + (i % 5));
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void slowLeakWithOneNoisySampleInFiveIsReported() {
		// memwatch users waited 10+ minutes with a positive trend and got nothing: every fifth sample dips,
		// so five consecutive growths never happen.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		long base = 300;
		for (int i = 1; i <= 40 && this.leaks.isEmpty(); i++) {
			base += 3;
			long sample = (i % 5 == 0) ? base - 8 : base;
			sequence.zgcCycle(sample + 200, sample).advance(30_000);
			feed(analyzer, sequence);
			sequence.events().clear();
		}
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.rule()).isEqualTo("trend");
		assertThat(report.samples()).isEqualTo(10);
		assertThat(report.reason()).startsWith("heap growth over 10 GCs (");
		assertThat(report.growthBytes()).isBetween(20 * MB, 30 * MB);
	}

	@Test
	void theSameSlowLeakNeverSatisfiesConsecutiveGrowth() {
		DetectorSettings trendOff = new DetectorSettings(Duration.ZERO, 5, 0.1, 1.0, 20.0, 10, 0.999999,
				Duration.ofHours(1), Duration.ofMinutes(10), 20, Duration.ZERO, Duration.ZERO, false);
		LeakAnalyzer analyzer = analyzer(trendOff);
		GcSequence sequence = new GcSequence();
		long base = 300;
		for (int i = 1; i <= 40; i++) {
			base += 3;
			long sample = (i % 5 == 0) ? base - 8 : base;
			sequence.zgcCycle(sample + 200, sample).advance(30_000);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isNotEmpty()
			.allSatisfy((report) -> assertThat(report.rule()).isNotEqualTo("consecutive"));
	}

	@Test
	void flatHeapKeepsUsageTrendNearZero() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		long[] noise = { 0, 7, -5, 3, -8, 6, -2, 4, -6, 1 };
		for (int i = 0; i < 300; i++) {
			sequence.shenandoahCycle(500, 300 + noise[i % noise.length]);
		}
		feed(analyzer, sequence);
		HeapStats stats = analyzer.stats();
		assertThat(this.leaks).isEmpty();
		assertThat(stats.usageTrend()).isCloseTo(0.0, within(0.5));
		assertThat(stats.min()).isEqualTo(292 * MB);
		assertThat(stats.max()).isEqualTo(307 * MB);
		assertThat(stats.estimatedBase()).isCloseTo(300 * MB, within(5 * MB));
	}

	@Test
	void noisyFlatBaseIsNotALeakEvenWhenSamplesRiseInARow() {
		// A concurrent collector's base in a flat program: the heap after a cycle includes what was
		// allocated while it ran, so it scatters, here between 12 and 30 MB of a 256 MB heap.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		java.util.Random random = new java.util.Random(42);
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 5000; i++) {
			long after = 12 + random.nextInt(19);
			sequence.zgcCycle(after + 40, after).advance(2000);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void leakInsideTheSameNoiseIsStillReported() {
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		java.util.Random random = new java.util.Random(7);
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 200; i++) {
			long after = 12 + random.nextInt(19) + i / 2;
			sequence.zgcCycle(after + 40, after).advance(2000);
		}
		feed(analyzer, sequence);
		// Half a megabyte per cycle under 18 MB of scatter: seen once it has outgrown the scatter.
		assertThat(this.leaks).isNotEmpty();
		assertThat(this.leaks.get(0).endBase()).isLessThan(100 * MB);
	}

	@Test
	void generationalZgcBaseIsTheOldGenerationAfterAMajorCycle() {
		LeakAnalyzer analyzer = analyzer();
		feed(analyzer, new GcSequence().zgcMajor(120, 40, 70, 35));
		assertThat(analyzer.stats().currentBase()).isEqualTo(35 * MB);
	}

	@Test
	void warmUpLevelsMustBeExceededBeforeALeakIsReported() {
		LeakAnalyzer analyzer = analyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(10)));
		GcSequence sequence = new GcSequence().at(this.clock.get()).parallelFull(900, 500).advance(20_000);
		for (long base = 300; base <= 500; base += 40) {
			sequence.parallelFull(900, base);
		}
		feed(analyzer, sequence);
		// 200 MB of growth in five steps, but only back to where the base was during start-up.
		assertThat(this.leaks).isEmpty();
		feed(analyzer, new GcSequence().at(sequence.time()).parallelFull(900, 540).parallelFull(900, 580));
		assertThat(this.leaks).hasSize(1);
	}

	@Test
	void aLeakRunningWhenTheWarmUpEndsRisesFromTheLastWarmUpBase() {
		LeakAnalyzer analyzer = analyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(10)));
		// A cycle every 3 s, 30 MB more each time, from the start: three cycles in the warm-up, the last at 100 MB.
		GcSequence sequence = new GcSequence().at(this.clock.get());
		for (long base = 40; base <= 250; base += 30) {
			sequence.zgcCycle(base + 200, base);
		}
		feed(analyzer, sequence);
		// memwatch's five rises: 130 to 250 MB after the warm-up, the first of them from its last base.
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.startBase()).isEqualTo(100 * MB);
		assertThat(report.endBase()).isEqualTo(250 * MB);
		assertThat(report.reason()).startsWith("heap growth over 5 consecutive GCs");
	}

	@Test
	void aCacheStillLevellingOffAfterTheWarmUpIsNoTrend() {
		// The corpus's plateau under ZGC (JDK 17, 256 MB heap, 10 s warm-up): the cache fills in the warm-up,
		// then creeps from 62 to 72 MB and holds. With the warm-up's last base (64 MB) in the trend's ten
		// samples, the test saw a rise at 28.5 s.
		long start = this.clock.get();
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(10)),
				256 * MB, this.clock::get, this.listener);
		double[][] cycles = { { 0.2, 28 }, { 1.0, 32 }, { 2.3, 44 }, { 3.9, 54 }, { 5.9, 56 }, { 7.9, 64 },
				{ 10.8, 62 }, { 13.6, 66 }, { 16.1, 68 }, { 18.5, 68 }, { 20.6, 66 }, { 22.7, 70 }, { 24.7, 68 },
				{ 26.6, 70 }, { 28.5, 72 }, { 30.4, 70 }, { 32.3, 72 }, { 34.5, 68 } };
		GcSequence sequence = new GcSequence();
		for (double[] cycle : cycles) {
			long base = (long) cycle[1];
			sequence.at(start + Math.round(cycle[0] * 1000)).add("ZGC Cycles", "end of GC cycle", "Proactive",
					base + 60, base, -1, -1);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(cycles.length);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void falling() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 30; i++) {
			sequence.shenandoahCycle(900, 800 - i * 10L);
		}
		feed(analyzer, sequence);
		// memwatch's unsigned subtraction turned a falling heap into a trend of 109556.2 %.
		assertThat(analyzer.stats().usageTrend()).isNegative().isGreaterThan(-100);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void minMaxStartAtTheThirdSample() {
		LeakAnalyzer analyzer = analyzer();
		feed(analyzer, new GcSequence().serialFull(500, 10).serialFull(500, 400));
		assertThat(analyzer.stats().min()).isEqualTo(-1);
		assertThat(analyzer.stats().max()).isEqualTo(-1);
		feed(analyzer, new GcSequence().at(2_000_000).serialFull(500, 300));
		assertThat(analyzer.stats().min()).isEqualTo(300 * MB);
		assertThat(analyzer.stats().max()).isEqualTo(300 * MB);
		assertThat(this.stats).hasSize(3);
	}

	@Test
	void bytesBeyondFourGibDoNotOverflow() {
		long heapMax = 64L * 1024 * MB;
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), heapMax,
				this.clock::get, this.listener);
		GcSequence sequence = new GcSequence();
		for (long gib = 5; gib <= 11; gib++) {
			sequence.zgcCycle(gib * 1024 + 4096, gib * 1024).advance(59_000);
		}
		feed(analyzer, sequence);
		HeapStats stats = analyzer.stats();
		assertThat(stats.currentBase()).isEqualTo(11L * 1024 * MB);
		assertThat(stats.max()).isEqualTo(11L * 1024 * MB);
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.growthBytes()).isPositive().isGreaterThan(4L * 1024 * MB);
		assertThat(report.rateBytesPerHour()).isPositive();
		assertThat(report.reason()).matches("heap growth over \\d+ consecutive GCs \\(5m 10s\\) - [0-9.]+ gb/hr");
	}

	@Test
	void growthOfAFewBytesIsNotGrowth() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 40; i++) {
			sequence.add("MarkSweepCompact", "end of major GC", "x", 500, 300, 500, 300);
		}
		List<GcEvent> bytewise = new ArrayList<>();
		long i = 0;
		for (GcEvent event : sequence.events()) {
			bytewise.add(new GcEvent(event.gcName(), event.gcAction(), event.gcCause(), event.endTimeMillis(), 1,
					event.heapBefore(), event.heapAfter() + i, event.oldBefore(), event.oldAfter() + i));
			i += 1024;
		}
		bytewise.forEach(analyzer::accept);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void parallelFloorsAreConfirmedByAFullGcThatFreesNothing() {
		// The seed leak on Parallel: two young pauses promote everything, then the first full GC frees
		// almost nothing, which proves the promoted bytes were live.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence().parallelYoung(250, 0, 240).advance(5000).parallelYoung(250, 240, 490)
			.advance(5000)
			.parallelFull(740, 738);
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(3);
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).rule()).isEqualTo("fast");
		assertThat(this.leaks.get(0).windowStart().toEpochMilli()).isEqualTo(sequence.events().get(0).endTimeMillis());
	}

	@Test
	void aScavengeThatBeginsAFullCollectionsPauseIsNotASampleOfItsOwn() {
		// The seed's leak under Parallel with a probe (SeedLeakIT): every second a System.gc() scavenges, then
		// collects the whole heap in the same pause, freeing nothing more. Counted, that floor made every other
		// sample a stall, and two stalls break every run of rises.
		LeakAnalyzer analyzer = analyzer();
		for (int i = 0; i < 12; i++) {
			long time = 1_000_000 + i * 1000L;
			long live = (20 + 10L * i) * MB;
			analyzer.accept(new GcEvent("PS Scavenge", "end of minor GC", "System.gc()", time, 3, live + 50 * MB,
					live, -1, -1));
			analyzer.accept(new GcEvent("PS MarkSweep", "end of major GC", "System.gc()", time + 20, 20, live, live,
					live, live));
			this.clock.set(time + 20);
		}
		assertThat(analyzer.stats().baseSamples()).isEqualTo(12);
		assertThat(this.leaks).isNotEmpty();
		assertThat(this.leaks.get(0).rule()).isEqualTo("consecutive");
		assertThat(this.leaks.get(0).samples()).isLessThanOrEqualTo(8);
	}

	@Test
	void shenandoahsLearningCyclesDoNotStallAFastLeak() {
		// The seed's leak under Shenandoah with a probe, -Xmx256m (SeedLeakIT): once free memory falls below its
		// threshold, the adaptive heuristics runs five learning cycles within 30 ms after each probed one.
		// Taken as samples, they stalled every run of rises, and the heap filled with no report.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		List<double[]> bases = new ArrayList<>();
		for (double[] base : new double[][] { { 0, 16.3 }, { 1.01, 25.8 }, { 2.02, 34.8 }, { 3.03, 44.4 },
				{ 4.04, 54.0 }, { 4.73, 60.7 } }) {
			bases.add(base);
		}
		for (int cycle = 0; cycle < 10; cycle++) {
			double start = 4.83 + 1.5 * cycle;
			double mb = 61.6 + 14.3 * cycle;
			for (int learning = 0; learning < 5; learning++) {
				bases.add(new double[] { start + 0.007 * learning, mb + ((learning % 2 == 0) ? 0.1 : -0.1) });
			}
		}
		feedBases(analyzer, "Shenandoah Cycles", bases.toArray(new double[0][]));
		assertThat(this.leaks).isNotEmpty();
		assertThat(this.leaks.get(0).endBase()).isLessThan(128 * MB);
	}

	@Test
	void twoSamplesInTheSameMillisecondAreNoError() {
		// G1's concurrent cycle seen through JFR and a full collection can end in the same millisecond; the run
		// restarted at the first, so the second's rise had no time (it threw with a full window). Samples
		// closer than 50 ms to the last are skipped.
		LeakAnalyzer analyzer = analyzer();
		feedBases(analyzer, "G1 Old Generation", new double[][] { { 1, 100 }, { 2, 100 }, { 3, 100 }, { 4, 100 },
				{ 5, 100 }, { 6, 100 }, { 7, 100 }, { 8, 100 }, { 9, 100 }, { 10, 50 }, { 10, 80 }, { 11, 110 } });
		assertThat(analyzer.stats().baseSamples()).isEqualTo(12);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void serialFloorsAreDroppedWhenTheFullGcFreesMuch() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence().serialYoung(60, 0, 60).serialYoung(60, 60, 120)
			.serialYoung(60, 120, 180)
			.serialFull(240, 80);
		feed(analyzer, sequence);
		// Only the lowest floor remains, as the reference of this first base after the warm-up.
		assertThat(analyzer.stats().baseSamples()).isEqualTo(2);
		assertThat(analyzer.stats().currentBase()).isEqualTo(80 * MB);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void zgcLeakAcrossFewCyclesIsReportedByTheFastRule() {
		LeakAnalyzer analyzer = analyzer();
		// Cycles five seconds apart: the rise has lasted long enough by the third.
		feed(analyzer, new GcSequence().zgcCycle(60, 40).advance(2000).zgcCycle(200, 150).advance(2000)
			.zgcCycle(400, 390));
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).reason()).startsWith("heap growth over 2 consecutive GCs");
	}

	@Test
	void generationalZgcAndShenandoahLeaksAreReported() {
		LeakAnalyzer zgc = analyzer();
		GcSequence sequence = new GcSequence();
		for (long old = 100; old <= 160; old += 10) {
			sequence.zgcMinor(50, old - 5, 10, old).zgcMajor(60, old, 10, old - 2);
		}
		feed(zgc, sequence);
		assertThat(this.leaks).hasSize(1);
		this.leaks.clear();
		LeakAnalyzer shenandoah = analyzer();
		GcSequence generational = new GcSequence().at(this.clock.get());
		for (long old = 100; old <= 160; old += 10) {
			generational.shenandoahGenerational(50, old - 5, 10, old).shenandoahGenerational(50, old + 3, 10, old);
		}
		feed(shenandoah, generational);
		assertThat(this.leaks).hasSize(1);
		assertThat(shenandoah.stats().numIncGc()).isEqualTo(7);
		assertThat(shenandoah.stats().numFullGc()).isEqualTo(7);
	}

	@Test
	void generationalShenandoahLeakThatNeverShrinksTheOldGenerationIsReportedByItsOldCycles() {
		// The corpus's leaks under JDK 25's generational Shenandoah: young cycles promote, the old
		// generation never shrinks, and only the old markings tell the old generation; the coalesce-and-fill
		// step after each is part of it.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long old = 40; old <= 200; old += 20) {
			sequence.shenandoahGenerational(150, old, 40, old + 10)
				.shenandoahOldMarking(40, old + 10, 42, old + 10)
				.shenandoahOldStep(42, old + 10, 42, old + 10)
				.shenandoahGenerational(150, old + 10, 40, old + 20);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).as("one base per old marking, not two").isEqualTo(9);
		assertThat(analyzer.stats().heapCompactions()).isZero();
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).endBase()).as("memwatch's five rises, no more").isEqualTo(150 * MB);
	}

	@Test
	void generationalShenandoahOldCyclesOfAHealthyHeapAreNotALeak() {
		// Old markings at the level the old generation reaches before mixed collections shrink it again.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 40; i++) {
			long noise = (i * 7) % 5;
			sequence.shenandoahGenerational(150, 100, 40, 110)
				.shenandoahGenerational(150, 110, 40, 120 + noise)
				.shenandoahOldMarking(40, 120 + noise, 44, 120 + noise)
				.shenandoahGenerational(150, 120 + noise, 40, 100);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(80);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void generationalShenandoahBatchSawtoothIsNotALeak() {
		// The corpus's batch job on JDK 25: while a batch builds, the young generation stays small (5-6 MB) and
		// every young cycle promotes what it built, so the old generation climbs cycle after cycle with the young
		// generation left as full as it was. Read as old markings, those cycles were 821 rising and falling bases
		// in 35 s and one false alarm; they are young cycles (they have an Init Mark pause), and the bases are
		// the old marking, once per marking, and the mixed collections that shrink the old generation.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int batch = 0; batch < 6; batch++) {
			for (long old = 100; old < 220; old += 4) {
				sequence.shenandoahGenerational(5, old, 6, old + 4);
			}
			sequence.shenandoahOldMarking(6, 220, 6, 220).shenandoahGenerational(6, 220, 3, 100);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(12);
		assertThat(analyzer.stats().numIncGc()).isEqualTo(180);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void oneStalledSampleDoesNotBreakConsecutiveGrowth() {
		// The corpus's unbounded cache under Serial: 13, 11, 0.1, 9, 9 MB between full collections.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base : new long[] { 180, 193, 204, 204, 213, 222, 231 }) {
			sequence.serialFull(base + 40, base);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).reason()).startsWith("heap growth over 5 consecutive GCs");
		assertThat(this.leaks.get(0).samples()).isEqualTo(7);
	}

	@Test
	void twoStalledSamplesInARunBreakIt() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base : new long[] { 180, 190, 190, 200, 200, 210, 220, 230 }) {
			sequence.serialFull(base + 40, base);
		}
		feed(analyzer, sequence);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void firstBaseAfterWarmUpIsComparedWithTheLowestYoungFloorBeforeIt() {
		// Parallel's first full collection comes at 75 % of the heap; the young collections before it bound
		// the live heap then from above (50 MB), so the first base already shows growth.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long old = 10; old <= 290; old += 40) {
			sequence.parallelYoung(100, old, old + 40);
		}
		// The full collections free much (dead promoted objects), so the floors are not confirmed.
		sequence.parallelFull(500, 330).parallelYoung(100, 330, 380).parallelFull(560, 450);
		feed(analyzer, sequence);
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).rule()).isEqualTo("fast");
		assertThat(this.leaks.get(0).startBase()).isEqualTo(50 * MB);
		assertThat(this.leaks.get(0).samples()).isEqualTo(3);
	}

	@Test
	void aLoadSpikeThatRaisesTheLiveHeapOnceIsNotAFastLeak() {
		// The corpus's spike under Parallel: floors at 20 MB after the warm-up, a full collection during the
		// spike (70 MB of in-flight state), a later one at the same level plus a little.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (int i = 0; i < 8; i++) {
			sequence.parallelYoung(100, 15, 20);
		}
		sequence.parallelFull(400, 270).advance(4000).parallelFull(400, 271);
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(3);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aBatchRampWithinAFewSecondsIsNotAFastLeak() {
		// The corpus's batch job under ZGC: 52, 114, 144, 168 MB within two seconds, then dropped.
		LeakAnalyzer analyzer = analyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO));
		GcSequence sequence = new GcSequence();
		sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", 300, 52, -1, -1).advance(-500);
		sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", 300, 314, -1, -1).advance(-500);
		sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", 400, 444, -1, -1).advance(-500);
		sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", 500, 568, -1, -1).advance(2000);
		sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", 600, 60, -1, -1);
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(5);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aLoadSpikeThatLevelsOffIsNotConsecutiveGrowth() {
		// The corpus's spike under ZGC: 26, 50, 72, 90, 94, 94, 96 MB, one cycle a second or so.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base : new long[] { 26, 50, 72, 90, 94, 94, 96, 92, 88, 92, 100, 92, 94, 100, 24 }) {
			sequence.add("ZGC Cycles", "end of GC cycle", "Allocation Rate", base + 60, base * 4, -1, -1);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(15);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aLoadSpikeThatStopsRisingAtTheFastThresholdIsNotALeak() {
		// The corpus's spike under Serial (JDK 17 and 25, at a quarter of the heap: MB here are 4 x the
		// corpus's): the lowest young floor after the warm-up, then two full collections during the spike,
		// the second at 28 % of the window's pace, where a leak keeps its pace. No further base until it ends.
		LeakAnalyzer analyzer = analyzer();
		feedBases(analyzer, "MarkSweepCompact", new double[][] { { 12.3, 39 }, { 23.7, 278 }, { 29.5, 302 } });
		assertThat(this.leaks).isEmpty();
		feedBases(analyzer, "MarkSweepCompact", new double[][] { { 34.5, 400 }, { 39.5, 500 } });
		assertThat(this.leaks).as("a leak that goes on at its pace").hasSize(1);
		assertThat(this.leaks.get(0).rule()).isEqualTo("fast");
	}

	@Test
	void aLoadSpikeRampingWithinFourSecondsUnderZgcIsNotALeak() {
		// The corpus's spike under ZGC (JDK 17), a cycle every half second: the in-flight state ramps up from
		// 24 to 86 MB within 3.8 s, then holds, noisily, until it ends. Neither the consecutive rises nor the
		// trend over ten samples is a leak: the rise lasted less than five seconds, and once it had lasted
		// longer, the last quarter of the window no longer set new highs.
		LeakAnalyzer analyzer = analyzer();
		double[] seconds = { 10.7, 12.0, 13.3, 14.6, 15.2, 15.7, 16.2, 16.7, 17.2, 17.8, 18.4, 19.0, 19.7, 20.4, 21.1,
				21.7, 22.4, 23.1, 23.8, 24.5, 25.2, 25.8, 26.5, 27.4, 28.2, 28.9, 29.8, 30.6, 31.9 };
		double[] mb = { 24, 24, 24, 24, 28, 38, 48, 58, 68, 80, 86, 84, 82, 86, 84, 84, 88, 86, 84, 84, 84, 88, 86,
				84, 84, 88, 84, 24, 24 };
		double[][] bases = new double[seconds.length][];
		for (int i = 0; i < seconds.length; i++) {
			bases[i] = new double[] { seconds[i], mb[i] * 4 };
		}
		feedBases(analyzer, "ZGC Cycles", bases);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aLoadSpikeThatHoldsUnderShenandoahIsNotATrend() {
		// The corpus's spike under Shenandoah (JDK 17): 10 to 86 MB in six seconds, then flat within 1.5 MB.
		LeakAnalyzer analyzer = analyzer();
		feedBases(analyzer, "Shenandoah Cycles", new double[][] { { 10.2, 43 }, { 12.8, 41 }, { 16.3, 174 }, { 17.8, 322 },
				{ 18.9, 344 }, { 20.0, 340 }, { 21.1, 345 }, { 22.3, 339 }, { 23.4, 344 }, { 24.5, 345 }, { 25.6, 346 },
				{ 26.7, 344 }, { 27.8, 344 }, { 28.9, 344 }, { 30.2, 41 } });
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aJumpRightAfterAStallOnAPlateauIsNotALeak() {
		// The corpus's spike under Shenandoah (JDK 25): the ramp, a plateau (one stalled sample), then one cycle
		// that caught much in-flight allocation, then back on the plateau.
		LeakAnalyzer analyzer = analyzer();
		feedBases(analyzer, "Shenandoah Cycles", new double[][] { { 12.6, 45 }, { 16.3, 177 }, { 17.8, 325 },
				{ 18.9, 346 }, { 20.0, 346 }, { 21.1, 447 }, { 22.1, 346 }, { 23.2, 346 } });
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aBatchThatAppearsInOneCycleIsNotALeak() {
		// The corpus's batch job under generational ZGC (JDK 25): the old generation creeps by a 2 MB page at a
		// time, then one major cycle runs while a batch is held. Three quarters of the growth came within two
		// seconds.
		LeakAnalyzer analyzer = analyzer();
		feedBases(analyzer, "ZGC Cycles",
				new double[][] { { 22.8, 72 }, { 25.8, 80 }, { 33.2, 88 }, { 35.1, 496 }, { 36.9, 80 } });
		assertThat(this.leaks).isEmpty();
	}

	/**
	 * The corpus's slow leak (1 % of the heap per minute under heavy churn) under ZGC on JDK 17, passive:
	 * its bases, in seconds since the program started and MB (ZGC's are whole 2 MB pages), with
	 * {@code -Xmx256m}; the warm-up ends at 10.3 s and the leak starts then (recorded by {@code
	 * CorpusBenchmark --record true}). Each base is up to 8 MB above its neighbours, and the last ten span
	 * about 7 s, in which the leak adds 0.1 % of the heap, so no rule but the slow trend reports it.
	 */
	private static final double[][] SLOW_LEAK_UNDER_ZGC = {
			{ 0.3, 58 }, { 1.9, 60 }, { 3.6, 68 }, { 5.1, 60 }, { 6.2, 62 }, { 7.1, 64 }, { 7.9, 64 },
			{ 8.7, 66 }, { 9.4, 66 }, { 10.0, 60 }, { 10.9, 60 }, { 11.8, 60 }, { 12.6, 64 },
			{ 13.4, 64 }, { 14.2, 64 }, { 15.3, 64 }, { 16.3, 64 }, { 17.2, 64 }, { 18.0, 64 },
			{ 18.8, 64 }, { 19.5, 64 }, { 20.2, 64 }, { 21.0, 62 }, { 21.8, 62 }, { 22.6, 64 },
			{ 23.3, 66 }, { 24.0, 66 }, { 24.6, 66 }, { 25.5, 64 }, { 26.3, 60 }, { 27.1, 62 },
			{ 27.9, 64 }, { 28.6, 66 }, { 29.6, 68 }, { 31.0, 62 }, { 32.1, 64 }, { 33.3, 62 },
			{ 34.2, 62 }, { 35.0, 66 }, { 36.1, 62 }, { 37.0, 64 }, { 38.1, 64 }, { 39.0, 64 },
			{ 39.8, 64 }, { 40.6, 64 }, { 41.3, 64 }, { 41.9, 66 }, { 43.0, 64 }, { 44.0, 64 },
			{ 44.9, 66 }, { 45.6, 68 }, { 46.6, 64 }, { 47.7, 64 }, { 48.6, 64 }, { 49.6, 64 },
			{ 50.5, 66 }, { 51.3, 64 }, { 52.0, 62 }, { 52.7, 62 }, { 53.3, 62 }, { 53.9, 62 },
			{ 54.5, 66 }, { 55.4, 66 }, { 56.2, 66 }, { 56.9, 66 }, { 57.6, 68 }, { 58.2, 66 },
			{ 58.8, 62 }, { 59.4, 64 }, { 60.0, 64 }, { 60.6, 64 }, { 61.2, 64 }, { 61.8, 64 },
			{ 62.4, 64 }, { 63.0, 64 }, { 63.6, 64 }, { 64.2, 64 }, { 64.7, 64 }, { 65.3, 64 },
			{ 65.9, 62 }, { 66.5, 64 }, { 67.1, 64 }, { 67.7, 64 }, { 68.3, 64 }, { 68.9, 64 },
			{ 69.5, 64 }, { 70.3, 66 }, { 71.0, 66 }, { 71.7, 66 }, { 72.4, 64 }, { 73.1, 66 },
			{ 73.7, 66 }, { 74.3, 64 }, { 75.3, 64 }, { 76.2, 66 }, { 77.0, 68 }, { 77.7, 66 },
			{ 78.4, 66 }, { 79.0, 66 }, { 79.6, 64 }, { 80.2, 66 }, { 80.8, 66 }, { 81.4, 66 },
			{ 82.0, 64 }, { 82.6, 68 }, { 83.2, 68 }, { 83.8, 66 }, { 84.4, 68 }, { 85.0, 68 },
			{ 85.7, 66 }, { 86.4, 64 }, { 87.1, 64 }, { 88.0, 66 }, { 88.8, 66 }, { 89.5, 64 },
			{ 90.1, 64 }, { 90.7, 68 }, { 92.0, 68 }, { 93.1, 70 }, { 94.0, 68 }, { 94.8, 66 },
			{ 95.6, 66 }, { 96.3, 66 }, { 97.4, 66 }, { 98.3, 66 }, { 99.1, 68 }, { 99.9, 70 },
			{ 100.6, 70 }, { 101.4, 70 }, { 102.2, 66 }, { 102.9, 66 }, { 103.7, 66 }, { 104.4, 68 },
			{ 105.2, 68 }, { 105.9, 66 }, { 106.6, 68 }, { 107.2, 68 }, { 107.8, 68 }, { 108.6, 66 },
			{ 109.4, 66 }, { 110.1, 68 }, { 110.8, 70 }, { 111.5, 70 }, { 112.2, 64 }, { 112.9, 64 },
			{ 113.6, 66 }, { 114.2, 64 }, { 114.8, 66 }, { 115.4, 66 }, { 116.1, 68 }, { 116.8, 70 },
			{ 117.4, 70 }, { 118.0, 72 }, { 118.8, 70 }, { 119.6, 66 }, { 120.4, 68 }, { 121.1, 68 },
			{ 121.8, 68 }, { 122.4, 68 }, { 123.0, 68 }, { 123.7, 70 }, { 124.5, 70 }, { 125.2, 68 },
			{ 126.0, 70 }, { 126.7, 72 }, { 127.7, 66 }, { 128.6, 68 }, { 129.4, 70 }, { 130.1, 68 },
			{ 130.8, 68 }, { 131.5, 70 }, { 132.2, 70 }, { 132.8, 68 }, { 133.5, 68 }, { 134.2, 70 },
			{ 134.9, 70 }, { 135.5, 70 }, { 136.1, 70 }, { 136.9, 68 }, { 137.6, 68 }, { 138.3, 70 },
			{ 138.9, 70 }, { 139.5, 70 }, { 140.1, 70 }, { 140.7, 70 }, { 141.3, 70 }, { 142.0, 70 },
			{ 142.7, 70 }, { 143.9, 70 }, { 144.9, 72 }, { 145.7, 70 }, { 146.4, 68 }, { 147.1, 68 },
			{ 147.8, 66 }, { 148.5, 70 }, { 149.2, 70 }, { 149.9, 72 }, { 150.6, 74 }, { 151.2, 68 },
			{ 151.9, 70 }, { 152.6, 68 }, { 153.3, 70 }, { 154.0, 70 }, { 154.6, 70 }, { 155.3, 70 },
			{ 156.0, 70 }, { 157.1, 72 }, { 158.1, 72 }, { 158.9, 72 }, { 159.7, 68 }, { 160.5, 70 },
			{ 161.2, 70 }, { 161.9, 70 }, { 162.5, 70 }, { 163.1, 70 }, { 163.7, 72 }, { 164.4, 70 },
			{ 165.1, 70 }, { 165.8, 68 }, { 166.4, 68 }, { 167.0, 68 }, { 167.6, 68 }, { 168.2, 70 },
			{ 168.8, 70 }, { 169.5, 72 }, { 170.1, 70 }, { 170.7, 72 }, { 171.4, 72 }, { 172.1, 68 },
			{ 172.8, 70 }, { 173.6, 74 }, { 174.5, 72 }, { 175.3, 72 }, { 176.1, 72 }, { 176.8, 70 },
			{ 177.5, 74 }, { 178.1, 72 }, { 178.8, 70 }, { 179.5, 70 }, { 180.3, 72 }, { 181.1, 74 },
			{ 181.9, 72 }, { 182.6, 72 }, { 183.3, 72 }, { 183.9, 72 }, { 184.5, 72 }, { 185.1, 72 },
			{ 185.9, 72 }, { 186.7, 72 }, { 187.4, 72 }, { 188.0, 72 }, { 188.6, 70 }, { 189.2, 70 },
			{ 189.8, 70 }, { 190.4, 70 }, { 191.0, 74 }, { 191.9, 74 }, { 192.7, 76 }, { 193.4, 76 },
			{ 194.0, 70 }, { 194.7, 70 }, { 195.3, 70 }, { 196.2, 72 }, { 197.0, 74 }, { 197.7, 76 },
			{ 198.3, 76 }, { 198.9, 74 }, { 199.5, 74 }, { 200.1, 74 }, { 200.7, 74 }, { 201.3, 76 },
			{ 202.2, 74 }, { 203.0, 74 }, { 203.7, 74 }, { 204.4, 74 }, { 205.5, 74 }, { 206.4, 70 },
			{ 207.2, 72 }, { 208.0, 74 }, { 208.8, 76 }, { 210.4, 74 }, { 212.0, 74 }, { 213.6, 76 },
			{ 215.2, 78 }, { 216.8, 76 }, { 218.4, 78 }, { 219.9, 72 }, { 221.5, 76 }, { 223.1, 74 },
			{ 224.5, 76 }, { 225.6, 76 }, { 226.5, 72 }, { 227.3, 74 }, { 228.1, 74 }, { 229.6, 72 },
			{ 230.9, 78 }, { 231.9, 72 }, { 232.8, 74 }, { 233.6, 76 }, { 234.3, 74 }, { 235.0, 74 },
			{ 235.7, 74 }, { 236.4, 76 }, { 237.1, 78 }, { 237.7, 78 }, { 238.3, 78 }, { 238.9, 74 },
			{ 239.6, 76 }, { 240.2, 72 }, { 241.0, 72 }, { 241.7, 74 }, { 242.4, 76 }, { 243.1, 78 },
			{ 243.8, 78 }, { 244.4, 78 }, { 245.0, 74 }, { 245.6, 76 }, { 246.2, 78 }, { 246.9, 76 },
			{ 247.6, 76 }, { 248.3, 78 }, { 249.1, 78 }, { 249.8, 76 } };

	@Test
	void aSlowLeakUnderZgcIsReportedByTheSlowTrend() {
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofMillis(10_269)),
				256 * MB, this.clock::get, this.listener);
		feedBases(analyzer, "ZGC Cycles", SLOW_LEAK_UNDER_ZGC);
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.rule()).isEqualTo("slow");
		// About 2.5 MB a minute, which is what the program retains.
		assertThat(report.rateBytesPerHour() / 60).isBetween(1.5 * MB, 3.5 * MB);
		assertThat(report.growthBytes()).isGreaterThanOrEqualTo(analyzer.minGrowthBytes());
		assertThat(report.windowEnd().toEpochMilli() - 1_000_000).isBetween(120_000L, 250_000L);
	}

	@Test
	void g1BasesOtherThanFullCollectionsDoNotFeedTheSlowTrend() {
		// The corpus's humongous arrays under G1 on JDK 25: every 2.2 s a young pause frees the dead 4 MB arrays'
		// regions, so the old generation shrinks, while the garbage promoted into old regions stays until a
		// mixed collection, and the base rises 3 MB a minute. The same bases from ZGC, or from G1's full
		// collections (which free every dead object), would be a slow leak.
		for (String collector : List.of("G1 Young Generation", "ZGC Cycles", "G1 Old Generation")) {
			this.leaks.clear();
			LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
					this.clock::get, this.listener);
			long start = this.clock.get() + 1000;
			for (long millis = 0; millis < 240_000; millis += 2200) {
				long base = 60 * MB + millis * 3 * MB / 60_000;
				this.clock.set(start + millis);
				analyzer.accept(new GcEvent(collector, "end of minor GC", "G1 Humongous Allocation", start + millis, 2,
						base + 100 * MB, base, base + 8 * MB, base));
			}
			if (collector.equals("G1 Young Generation")) {
				assertThat(this.leaks).isEmpty();
			}
			else {
				assertThat(this.leaks).extracting(LeakReport::rule).containsOnly("slow");
			}
		}
	}

	@Test
	void aSlowLeakUnderG1IsReportedFromItsMixedCollections() {
		// G1 as -Xlog:gc showed it under the corpus's slow leak (JDK 17, 256 MB): every 10 s a Remark whose
		// base carries the old regions' garbage, 20 to 30 MB over the mixed collections' that follow it; the
		// mixed collections' bases rise with the leak, 2.6 MB a minute, each up to 6 MB of waste off. JDK 20
		// and later report the Remark on a bean, which tells the young pause after it that shrank the old
		// generation for a mixed collection. JDK 17 to 19 report no Remark: the cycle's end comes from JFR,
		// and the young pauses alone give no slow trend (G1's bases rise as much without a leak); JFR's mixed
		// collections do.
		Random noise = new Random(7);
		for (String jdk : List.of("20+", "17 without JFR's mixed", "17 with JFR's mixed")) {
			this.leaks.clear();
			LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
					this.clock::get, this.listener);
			long start = this.clock.get() + 1000;
			for (long millis = 0; millis < 10 * 60_000 && this.leaks.isEmpty(); millis += 10_000) {
				long mixed = 60 * MB + millis * 26 * MB / 600_000 + (long) (noise.nextDouble() * 6 * MB);
				long remark = mixed + 20 * MB + (long) (noise.nextDouble() * 10 * MB);
				this.clock.set(start + millis);
				if (jdk.equals("20+")) {
					analyzer.accept(new GcEvent(CollectorModel.G1_CONCURRENT, "end of concurrent GC pause", "G1 Remark",
							start + millis, 2, remark, remark, remark, remark));
				}
				else {
					analyzer.acceptOldCycle(start + millis, remark);
				}
				this.clock.set(start + millis + 3000);
				analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause",
						start + millis + 3000, 2, mixed + 120 * MB, mixed, mixed + 10 * MB, mixed - 4 * MB));
				// Young pauses that promote close the mixed phase.
				analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause",
						start + millis + 5000, 2, mixed + 120 * MB, mixed + 2 * MB, mixed - 4 * MB, mixed - 2 * MB));
				if (jdk.equals("17 with JFR's mixed")) {
					this.clock.set(start + millis + 6000);
					analyzer.acceptMixedCollection(start + millis + 3000, mixed);
				}
			}
			if (jdk.equals("17 without JFR's mixed")) {
				assertThat(this.leaks).as(jdk).isEmpty();
			}
			else {
				assertThat(this.leaks).as(jdk).extracting(LeakReport::rule).containsExactly("slow");
				assertThat(this.clock.get() - start).as(jdk).isLessThan(8 * 60_000);
			}
		}
	}

	@Test
	void youngPausesThatFreeHumongousRegionsOutsideAMixedPhaseDoNotFeedTheSlowTrend() {
		// JDK 20+: a Remark, two mixed collections, a young pause that promotes (the phase ends); then for four
		// minutes young pauses that free humongous regions, the old generation shrinking in each, while the
		// waste promoted into old regions lifts their bases 3 MB a minute. Only a marking opens a phase.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		long start = this.clock.get() + 1000;
		analyzer.accept(new GcEvent(CollectorModel.G1_CONCURRENT, "end of concurrent GC pause", "G1 Remark", start, 2,
				90 * MB, 90 * MB, 90 * MB, 90 * MB));
		analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", start + 500, 2,
				180 * MB, 70 * MB, 80 * MB, 65 * MB));
		analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", start + 900, 2,
				170 * MB, 60 * MB, 65 * MB, 55 * MB));
		analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", start + 1500, 2,
				170 * MB, 62 * MB, 55 * MB, 57 * MB));
		for (long millis = 2200; millis < 240_000; millis += 2200) {
			long base = 60 * MB + millis * 3 * MB / 60_000;
			this.clock.set(start + millis);
			analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Humongous Allocation",
					start + millis, 2, base + 100 * MB, base, base + 8 * MB, base));
		}
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void g1MixedCollectionsThatKeepTheirWasteAreNoSlowLeak() {
		// An hour of mixed collections every 10 s with no leak: what each leaves is the live heap plus up to
		// G1HeapWastePercent (5 %) of the heap in garbage G1 found not worth evacuating, and that waste drifts
		// up for minutes and drops back, as the regions G1 picks change.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		Random noise = new Random(11);
		long start = this.clock.get() + 1000;
		for (long millis = 0; millis < 60 * 60_000; millis += 10_000) {
			long drift = (millis % (7 * 60_000)) * 8 * MB / (7 * 60_000);
			long mixed = 60 * MB + drift + (long) (noise.nextDouble() * 5 * MB);
			this.clock.set(start + millis);
			analyzer.accept(new GcEvent("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause",
					start + millis, 2, mixed + 120 * MB, mixed, mixed + 10 * MB, mixed - 4 * MB));
			analyzer.acceptMixedCollection(start + millis, mixed);
		}
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aCacheThatFillsWithinAMinuteThenLevelsOffIsNoSlowLeak() {
		// Two bases a second, as ZGC gives: 10 MB (4 % of the heap) over the first 30 s, then flat, each base
		// up to 1 MB off. A slow trend tested at a minute sees a rise, then a level: the last quarter no longer
		// sets new highs, and later the two halves sit at the same level.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		Random noise = new Random(42);
		long start = this.clock.get();
		for (long millis = 0; millis < 11 * 60_000; millis += 500) {
			long cache = 10 * MB * Math.min(millis, 30_000) / 30_000;
			long base = 60 * MB + cache + (long) ((noise.nextDouble() * 2 - 1) * MB);
			this.clock.set(start + millis);
			analyzer.acceptBase(start + millis, base, true);
		}
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void aBaseThatRisesWithAnHourlyJobIsReportedAtItsFirstRiseOnly() {
		// A base every 5 s: every hour a job's cache grows by 15 MB (6 % of the heap) over 20 minutes, then is
		// dropped. The first rise looks like a slow leak, and is one as far as anyone can tell then; the next
		// ones only reach levels the base has shown.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		Random noise = new Random(3);
		long start = this.clock.get();
		for (long millis = 0; millis < 4 * 3_600_000L; millis += 5000) {
			long inHour = millis % 3_600_000L;
			long job = (inHour < 20 * 60_000) ? 15 * MB * inHour / (20 * 60_000) : 0;
			this.clock.set(start + millis);
			analyzer.acceptBase(start + millis, 80 * MB + job + (long) ((noise.nextDouble() - 0.5) * MB), true);
		}
		assertThat(this.leaks).isNotEmpty()
			.allSatisfy((report) -> assertThat(report.windowEnd().toEpochMilli() - start).isLessThan(3_600_000L));
	}

	@Test
	void aSlowLeakAfterHoursOfAFlatBaseIsReportedWithinMinutes() {
		// A base every 5 s, flat within 0.5 MB for three hours, then 1 % of the heap more every minute. An hour's
		// window would see the rise only once it filled a good part of it; its sixteenth (3.75 minutes) sees it
		// within minutes.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), 256 * MB,
				this.clock::get, this.listener);
		Random noise = new Random(7);
		long start = this.clock.get();
		long leakStart = 3 * 3_600_000L;
		for (long millis = 0; millis < leakStart + 20 * 60_000 && this.leaks.isEmpty(); millis += 5000) {
			long leaked = (millis > leakStart) ? (millis - leakStart) * (256 * MB / 100) / 60_000 : 0;
			long base = 80 * MB + leaked + (long) ((noise.nextDouble() - 0.5) * MB);
			this.clock.set(start + millis);
			analyzer.acceptBase(start + millis, base, true);
		}
		assertThat(this.leaks).hasSize(1);
		LeakReport report = this.leaks.get(0);
		assertThat(report.rule()).isEqualTo("slow");
		assertThat(report.windowEnd().toEpochMilli() - start - leakStart).isBetween(60_000L, 5 * 60_000L);
	}

	@Test
	void aSlowLeakIsReportedThoughOneBucketOfTheStartHeldOnlyHighBases() {
		// The corpus's slow leak under G1 on JDK 25, while G1 sized its heap: a base every 2.5 s, 62 MB live
		// plus up to 4 MB of garbage, the leak adding 1 % of the heap a minute from the warm-up's end (10 s);
		// no collection between 43 and 61 s, then four bases of 111-142 MB (the first mixed collections
		// after a Remark). A bucket of the shortest window (14 s) held only those: taken alone for a level
		// the base had shown, the leak had to climb past 111 MB.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(10)),
				256 * MB, this.clock::get, this.listener);
		Random noise = new Random(5);
		long start = this.clock.get();
		long leakStart = start + 10_000;
		long[][] outliers = { { 61_800, 141 * MB }, { 62_600, 116 * MB }, { 63_900, 111 * MB }, { 66_200, 142 * MB } };
		for (long millis = 0; millis <= 42_500; millis += 2500) {
			sampleSlowLeak(analyzer, start + millis, leakStart, noise);
		}
		for (long[] outlier : outliers) {
			this.clock.set(start + outlier[0]);
			analyzer.acceptBase(start + outlier[0], outlier[1], true);
		}
		for (long millis = 67_500; millis < 400_000 && this.leaks.isEmpty(); millis += 2500) {
			sampleSlowLeak(analyzer, start + millis, leakStart, noise);
		}
		assertThat(this.leaks).hasSize(1);
		assertThat(this.leaks.get(0).rule()).isEqualTo("slow");
		assertThat(this.leaks.get(0).windowEnd().toEpochMilli() - leakStart).isLessThan(300_000L);
	}

	private void sampleSlowLeak(LeakAnalyzer analyzer, long timeMillis, long leakStart, Random noise) {
		long leaked = Math.max(0, timeMillis - leakStart) * (256 * MB / 100) / 60_000;
		this.clock.set(timeMillis);
		analyzer.acceptBase(timeMillis, 62 * MB + leaked + (long) (noise.nextDouble() * 4 * MB), true);
	}

	@Test
	void aBatchHeldAcrossOneFullCollectionIsNotALeak() {
		// The corpus's batch job under Serial (JDK 17, 180 s): between batches the base creeps 2.5 MB in 15 s,
		// then one full collection comes while a batch of 120 MB is held. Its rise, 95 times the pace before it,
		// is one observation; the next full collection finds the batch gone.
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(10)),
				259_522_560L, this.clock::get, this.listener);
		feedBases(analyzer, "MarkSweepCompact", new double[][] { { 6.3, 8.8 }, { 13.8, 10.0 }, { 21.4, 11.3 },
				{ 28.9, 8.8 }, { 36.5, 10.0 }, { 44.1, 11.3 }, { 51.6, 132.7 }, { 55.0, 8.9 }, { 62.5, 10.1 },
				{ 70.1, 11.4 }, { 77.7, 12.6 }, { 85.2, 8.9 }, { 92.8, 10.9 }, { 100.3, 12.1 }, { 107.9, 133.6 },
				{ 111.3, 8.9 } });
		assertThat(this.leaks).isEmpty();
	}

	/**
	 * Feeds one base per old collection of the named collector bean, at the given second and heap in MB.
	 */
	private void feedBases(LeakAnalyzer analyzer, String collector, double[][] secondsAndMb) {
		for (double[] base : secondsAndMb) {
			long time = 1_000_000 + Math.round(base[0] * 1000);
			long after = Math.round(base[1]);
			String action = collector.startsWith("MarkSweep") ? "end of major GC" : "end of GC cycle";
			GcEvent event = new GcEvent(collector, action, "test", time, 5, (after + 100) * MB, after * MB,
					collector.startsWith("MarkSweep") ? (after + 50) * MB : -1,
					collector.startsWith("MarkSweep") ? (after - 10) * MB : -1);
			this.clock.set(Math.max(this.clock.get(), time));
			analyzer.accept(event);
		}
	}

	@Test
	void aYoungFloorAboveTheFirstBaseIsNoReference() {
		LeakAnalyzer analyzer = analyzer();
		feed(analyzer, new GcSequence().parallelYoung(100, 300, 320).parallelFull(400, 100).parallelFull(400, 110));
		assertThat(analyzer.stats().baseSamples()).isEqualTo(2);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void youngFloorsFromTheWarmUpAreNoReference() {
		LeakAnalyzer analyzer = analyzer(DetectorSettings.defaults().withWarmUp(Duration.ofSeconds(5)));
		GcSequence sequence = new GcSequence().at(this.clock.get());
		sequence.parallelYoung(100, 10, 50).advance(10_000).parallelFull(500, 330).parallelFull(560, 450);
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(2);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void g1RemarkAndCleanupOfOneCycleGiveOneBase() {
		LeakAnalyzer analyzer = analyzer();
		feed(analyzer, new GcSequence().g1Young(50, 100, 110).g1Concurrent(112, 110).g1Concurrent(111, 111)
			.g1Young(50, 111, 120)
			.g1Concurrent(121, 120));
		assertThat(analyzer.stats().baseSamples()).isEqualTo(2);
		assertThat(analyzer.stats().numFullGc()).isEqualTo(2);
	}

	@Test
	void g1RemarkFreeingLittleDoesNotConfirmYoungFloors() {
		// Remark frees only empty regions; the dead objects in the others wait for mixed collections.
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long old = 220; old <= 400; old += 20) {
			sequence.g1Young(100, old - 20, old);
		}
		sequence.g1Concurrent(400, 395);
		feed(analyzer, sequence);
		assertThat(analyzer.stats().baseSamples()).isEqualTo(1);
		assertThat(this.leaks).isEmpty();
	}

	@Test
	void suspicionClearsWhenTheBaseStopsGrowing() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base = 100; base <= 240; base += 20) {
			sequence.parallelFull(400, base);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.isSuspected()).isTrue();
		GcSequence flat = new GcSequence().at(sequence.time());
		for (int i = 0; i < 20; i++) {
			flat.parallelFull(400, 200).advance(60_000);
		}
		feed(analyzer, flat);
		assertThat(analyzer.isSuspected()).isFalse();
		assertThat(analyzer.recentLeaks()).hasSize(1);
	}

	@Test
	void historyIsBounded() {
		DetectorSettings settings = new DetectorSettings(Duration.ZERO, 2, 0.1, 1.0, 20.0, 10, 0.99,
				Duration.ofHours(1), Duration.ofMinutes(10), 3, Duration.ZERO, Duration.ZERO, false);
		LeakAnalyzer analyzer = analyzer(settings);
		GcSequence sequence = new GcSequence();
		for (long base = 10; base <= 1000; base += 15) {
			sequence.parallelFull(1000, base);
		}
		feed(analyzer, sequence);
		assertThat(analyzer.leakCount()).isGreaterThan(3);
		assertThat(analyzer.recentLeaks()).hasSize(3);
	}

	@Test
	void aLeakThatGoesOnIsReportedOncePerReportInterval() {
		LeakAnalyzer analyzer = analyzer();
		GcSequence sequence = new GcSequence();
		for (long base = 100; base <= 700; base += 10) {
			sequence.parallelFull(base + 5, base).advance(-900);
		}
		feed(analyzer, sequence);
		// 61 samples 100 ms apart: ten windows of five growths, but one minute has not passed.
		assertThat(this.leaks).hasSize(1);
		assertThat(analyzer.isSuspected()).isTrue();
		GcSequence later = new GcSequence().at(sequence.time() + 60_000);
		for (long base = 710; base <= 800; base += 10) {
			later.parallelFull(base + 5, base);
		}
		feed(analyzer, later);
		assertThat(this.leaks).hasSize(2);
	}

	@Test
	void aFailingListenerDoesNotStopTheAnalysis() {
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), HEAP_MAX,
				this.clock::get, new LeakListener() {
					@Override
					public void onLeak(LeakReport report) {
						throw new IllegalStateException("listener bug");
					}

					@Override
					public void onStats(HeapStats stats) {
						throw new IllegalStateException("listener bug");
					}
				});
		GcSequence sequence = new GcSequence();
		for (long base = 100; base <= 300; base += 20) {
			sequence.parallelFull(400, base);
		}
		sequence.events().forEach(analyzer::accept);
		assertThat(analyzer.leakCount()).isPositive();
		assertThat(analyzer.stats().baseSamples()).isEqualTo(11);
	}

}
