package io.leakwatch.corpus;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import io.leakwatch.core.DetectorSettings;
import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakDetector;
import io.leakwatch.core.LeakListener;
import io.leakwatch.core.LeakReport;
import io.leakwatch.it.SeedLeakProgram;

/**
 * One scenario of the detection corpus, run as a child JVM by {@link CorpusBenchmark} and
 * {@code CorpusQuickIT}: a small workload that leaks (or does not) in a known way, with leakwatch's
 * {@link LeakDetector} and the two baselines ({@link MemwatchRule}, {@link LiveDataAlert}) watching the
 * same collections in the same JVM, so their figures compare like with like.
 *
 * <p>
 * Every scenario runs an application-like background churn from the start; a leaking scenario starts
 * leaking at {@code warmUp} (when leakwatch's warm-up ends, as it would once an application is ready),
 * so the seconds to detection count from the leak's start. Prints machine-readable lines:
 * {@code READY}, one {@code BASE} per leakwatch base sample, {@code LEAK} per leakwatch event,
 * {@code MEMWATCH} and {@code LIVEDATA} per baseline alert, and {@code DONE} (or {@code FULL} when the
 * live heap passed 90 %, so the run need not crawl towards {@code OutOfMemoryError}). Arguments:
 * {@code scenario seconds [probeMillis [warmUpMillis]]}, where a probe interval above 0 also enables
 * {@code probe-stop-the-world}; a leaking run stops early once all three detectors fired (a probing one
 * once leakwatch did). With the system property {@value #RECORD} set to {@code true}, a run never stops
 * early and also prints everything leakwatch's rule was given ({@code CLOCK}, {@code WARMUPEND},
 * {@code SAMPLE}, from the detector's trace log), so {@code RuleReplay} can run another rule on it.
 */
public final class CorpusProgram {

	static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	/** Objects the scenarios retain on purpose; static so no collector can prove them dead. */
	static final List<Object> RETAINED = new ArrayList<>();

	static volatile Object sink;

	/** The system property that makes a run record the rule's input and run to its end. */
	static final String RECORD = "leakwatch.corpus.record";

	/** Held so that the trace level set on it is not lost with a collected logger. */
	private static java.util.logging.Logger traceLogger;

	private CorpusProgram() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2) {
			System.out.println("ERROR usage: CorpusProgram scenario seconds [probeMillis [warmUpMillis]]");
			System.exit(2);
		}
		Scenario scenario;
		try {
			scenario = Scenario.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			System.out.println("ERROR unknown scenario " + args[0] + "; known: " + Arrays.toString(Scenario.values()));
			System.exit(2);
			return;
		}
		long seconds = Long.parseLong(args[1]);
		Duration probe = Duration.ofMillis((args.length > 2) ? Long.parseLong(args[2]) : 0);
		long warmUpMillis = (args.length > 3) ? Long.parseLong(args[3]) : 10_000;
		new Run(scenario, seconds, probe, warmUpMillis).run();
	}

	/** The corpus: what each scenario does per 10 ms tick, and whether it leaks. */
	enum Scenario {

		SEED(true), CACHE(true), LISTENERS(true), THREADLOCAL(true), SLOW(true), BURSTS(true), SMALL(true),
		CHURN(false), PLATEAU(false), BATCH(false), SPIKE(false), HUMONGOUS(false), STARTUP(false);

		final boolean leaking;

		Scenario(boolean leaking) {
			this.leaking = leaking;
		}

	}

	/** One run: the detectors, the workload loop and the output. */
	static final class Run {

		private final Scenario scenario;

		private final long seconds;

		private final Duration probe;

		private final long warmUpMillis;

		private final long startNanos = System.nanoTime();

		private final long max = MEMORY.getHeapMemoryUsage().getMax();

		private volatile boolean leakwatchFired;

		private final Workload workload;

		private MemwatchRule memwatch;

		private LiveDataAlert liveData;

		Run(Scenario scenario, long seconds, Duration probe, long warmUpMillis) {
			this.scenario = scenario;
			this.seconds = seconds;
			this.probe = probe;
			this.warmUpMillis = warmUpMillis;
			this.workload = new Workload(scenario, this.max);
		}

		long elapsedMillis() {
			return (System.nanoTime() - this.startNanos) / 1_000_000;
		}

		double usedPercent() {
			return MEMORY.getHeapMemoryUsage().getUsed() * 100.0 / this.max;
		}

		void run() throws Exception {
			LeakListener listener = new LeakListener() {
				@Override
				public void onStats(HeapStats stats) {
					System.out.printf("BASE ms=%d n=%d base=%d used=%d max=%d%n", elapsedMillis(), stats.baseSamples(),
							stats.currentBase(), MEMORY.getHeapMemoryUsage().getUsed(), Run.this.max);
					checkFull(stats.currentBase());
				}

				@Override
				public void onLeak(LeakReport report) {
					Run.this.leakwatchFired = true;
					System.out.printf("LEAK ms=%d n=%d growth=%d basePercent=%.1f usedPercent=%.1f rule=%s reason=%s%n",
							elapsedMillis(), report.stats().baseSamples(), report.growthBytes(),
							report.endBase() * 100.0 / Run.this.max, usedPercent(), report.rule(), report.reason());
				}
			};
			DetectorSettings settings = DetectorSettings.defaults()
				.withWarmUp(Duration.ofMillis(this.warmUpMillis))
				.withProbeInterval(this.probe)
				// A probing run asks Serial and Parallel too: their only old collection is a full one.
				.withProbeStopTheWorld(!this.probe.isZero());
			// The baselines first: they must see the same collections from the first one on, as memwatch did.
			this.memwatch = MemwatchRule.start((n, growth, base) -> System.out.printf(
					"MEMWATCH ms=%d n=%d growth=%d basePercent=%.1f usedPercent=%.1f%n", elapsedMillis(), n, growth,
					base * 100.0 / this.max, usedPercent()));
			this.liveData = LiveDataAlert.start(this.max, (rise, value) -> System.out.printf(
					"LIVEDATA ms=%d rise=%d basePercent=%.1f usedPercent=%.1f%n", elapsedMillis(), rise,
					value * 100.0 / this.max, usedPercent()));
			boolean record = Boolean.getBoolean(RECORD);
			if (record) {
				System.out.printf("CLOCK ms=%d epoch=%d%n", elapsedMillis(), System.currentTimeMillis());
				recordRuleInput();
			}
			try (LeakDetector detector = LeakDetector.start(settings, listener)) {
				// The warm-up runs from the detector's start, which a loaded machine can delay by a second after
				// this program's; the leak starts once it has surely ended.
				long warmUpEnd = elapsedMillis() + this.warmUpMillis;
				System.out.printf("READY scenario=%s leaking=%s leakStartMs=%d max=%d probing=%s jfrForG1=%s%n",
						this.scenario.name().toLowerCase(java.util.Locale.ROOT), this.scenario.leaking,
						this.scenario.leaking ? warmUpEnd : -1, this.max, detector.probes(),
						detector.watchesG1CyclesWithJfr());
				long tick = 0;
				long endMillis = this.seconds * 1000;
				boolean started = false;
				while (elapsedMillis() < endMillis) {
					long now = elapsedMillis();
					boolean afterWarmUp = now >= warmUpEnd;
					if (afterWarmUp && !started) {
						started = true;
						// What each detector had seen when the leak (or, without one, the steady state) began.
						System.out.printf("LEAKSTART ms=%d n=%d memwatchSamples=%d%n", now,
								detector.stats().baseSamples(), this.memwatch.samples());
					}
					this.workload.tick(tick++, now, afterWarmUp);
					// A probing run measures leakwatch's probe; the probe's extra collections feed the baselines
					// too, so they are compared in the passive runs and a probing run ends at leakwatch's event.
					if (!record && this.scenario.leaking && this.leakwatchFired
							&& (!this.probe.isZero() || (this.memwatch.fired() && this.liveData.fired()))) {
						break;
					}
					long next = tick * 10;
					long sleep = next - elapsedMillis();
					if (sleep > 0) {
						Thread.sleep(sleep);
					}
				}
				Thread.sleep(300);
				HeapStats stats = detector.stats();
				System.out.printf(
						"DONE ms=%d leaks=%d fullGc=%d incGc=%d samples=%d memwatchSamples=%d memwatchAlerts=%d "
								+ "liveDataAlerts=%d detectorCpuMs=%.1f dropped=%d%n",
						elapsedMillis(), detector.leakCount(), stats.numFullGc(), stats.numIncGc(), stats.baseSamples(),
						this.memwatch.samples(), this.memwatch.alerts(), this.liveData.alerts(),
						SeedLeakProgram.detectorCpuNanos() / 1e6, detector.droppedNotifications());
			}
			catch (OutOfMemoryError oom) {
				this.workload.release();
				RETAINED.clear();
				System.out.println("OOM ms=" + elapsedMillis());
			}
			finally {
				this.workload.release();
				this.memwatch.close();
				this.liveData.close();
			}
			System.out.flush();
			// A JVM that ran out of memory can be too sick to shut down on its own; the output is complete.
			Runtime.getRuntime().halt(0);
		}

		/** Prints the detector's trace of the rule's input: the warm-up's end and every base sample. */
		private static void recordRuleInput() {
			traceLogger = java.util.logging.Logger.getLogger(LeakDetector.class.getName());
			traceLogger.setLevel(java.util.logging.Level.ALL);
			traceLogger.addHandler(new java.util.logging.Handler() {
				@Override
				public void publish(java.util.logging.LogRecord record) {
					Object[] parameters = record.getParameters();
					String message = record.getMessage();
					if (parameters == null || message == null) {
						return;
					}
					if (message.startsWith("Base sample")) {
						System.out.printf("SAMPLE epoch=%s base=%s%n", parameters[1], parameters[0]);
					}
					else if (message.startsWith("Warm-up ends")) {
						System.out.printf("WARMUPEND epoch=%s%n", parameters[0]);
					}
				}

				@Override
				public void flush() {
				}

				@Override
				public void close() {
				}
			});
		}

		private void checkFull(long base) {
			if (base > this.max * 0.9) {
				System.out.printf("FULL ms=%d basePercent=%.1f%n", elapsedMillis(), base * 100.0 / this.max);
				System.out.flush();
				Runtime.getRuntime().halt(0);
			}
		}

	}

	/**
	 * The scenarios' allocation patterns, one 10 ms tick at a time. Rates are per second unless told;
	 * sizes are chosen below G1's humongous threshold (half a region, 512 KB at {@code -Xmx256m}) except
	 * where a scenario is about large objects.
	 */
	static final class Workload {

		private static final int KB = 1024;

		private static final int MB = 1024 * KB;

		private final Scenario scenario;

		private final long max;

		/** A live set every application has: a few MB of long-lived objects, replaced slowly. */
		private final Object[] appState = new Object[2000];

		private final Map<Long, byte[]> cache = new HashMap<>();

		private final List<Runnable> listeners = new ArrayList<>();

		private final List<Object> batch = new ArrayList<>();

		private final ExecutorService pool;

		private final ThreadLocal<List<byte[]>> perThread = ThreadLocal.withInitial(ArrayList::new);

		private Object chain;

		private Node smallChain;

		private long cacheKey;

		private final Object[] ring;

		Workload(Scenario scenario, long max) {
			this.scenario = scenario;
			this.max = max;
			for (int i = 0; i < this.appState.length; i++) {
				this.appState[i] = new byte[2 * KB];
			}
			this.pool = (scenario == Scenario.THREADLOCAL) ? Executors.newFixedThreadPool(2, (runnable) -> {
				Thread thread = new Thread(runnable, "pooled-worker");
				thread.setDaemon(true);
				return thread;
			}) : null;
			// Heavy churn keeps a ring of medium-lived objects that survive young collections and die old. It starts
			// full: filled by random replacement it would keep growing for half a minute after the warm-up, and
			// that growth, not the leak's, is what an early report would see.
			this.ring = (scenario == Scenario.SLOW) ? new Object[4000] : new Object[0];
			for (int i = 0; i < this.ring.length; i++) {
				this.ring[i] = new byte[8 * KB];
			}
		}

		void tick(long tick, long nowMillis, boolean afterWarmUp) throws Exception {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			// Background churn, every scenario: 20 MB/s of short-lived objects and a slowly replaced live set.
			churn(200 * KB);
			this.appState[random.nextInt(this.appState.length)] = new byte[2 * KB];
			boolean leaking = this.scenario.leaking && afterWarmUp;
			switch (this.scenario) {
				case SEED -> {
					if (leaking && tick % 10 == 0) {
						// The seed: a ~1 MB string and a closure over the previous object, every 100 ms.
						Object previous = this.chain;
						this.chain = new Object[] { "*".repeat(1_000_000 + (int) (tick % 7)), previous };
					}
				}
				case CACHE -> {
					// An unbounded cache keyed by ever-new ids: 40 entries of ~1 KB per tick, 4 MB/s.
					if (leaking) {
						for (int i = 0; i < 40; i++) {
							this.cache.put(this.cacheKey++, new byte[1000]);
						}
					}
				}
				case LISTENERS -> {
					// Listeners registered per request and never removed: ~700 bytes each, ~4 MB/s.
					if (leaking) {
						for (int i = 0; i < 60; i++) {
							long[] state = new long[80];
							String name = "listener-" + tick + "-" + i;
							this.listeners.add(() -> sink = (state.length > 0) ? name : null);
						}
					}
				}
				case THREADLOCAL -> {
					// A pooled thread's ThreadLocal list that nobody clears: 40 KB per task (a task per tick when the
					// pool keeps up; about 4 MB/s here).
					boolean leak = leaking;
					this.pool.submit(() -> {
						List<byte[]> mine = this.perThread.get();
						byte[] work = new byte[40 * KB];
						if (leak) {
							mine.add(work);
						}
						sink = work;
					}).get();
				}
				case SLOW -> {
					// 1 % of the maximum heap per minute, under heavy churn (80 MB/s more garbage and a ring
					// of medium-lived objects that die in the old generation).
					churn(800 * KB);
					for (int i = 0; i < 4; i++) {
						this.ring[random.nextInt(this.ring.length)] = new byte[8 * KB];
					}
					if (leaking) {
						long perTick = this.max / 100 / 60 / 100;
						RETAINED.add(new byte[(int) perTick]);
					}
				}
				case BURSTS -> {
					// A burst of 24 MB within one second, every six seconds (4 MB/s on average).
					if (leaking && (nowMillis / 1000) % 6 == 0) {
						for (int i = 0; i < 120; i++) {
							RETAINED.add(new byte[2 * KB]);
						}
					}
				}
				case SMALL -> {
					// Many small objects and no arrays: 120,000 nodes of 32 bytes per second, ~4 MB/s.
					if (leaking) {
						for (int i = 0; i < 1200; i++) {
							this.smallChain = new Node(this.smallChain, tick, i);
						}
					}
				}
				case CHURN -> churn(400 * KB);
				case PLATEAU -> {
					// A cache of 40,000 random keys (~45 MB when full) filled by random puts: it fills fast,
					// then more and more puts replace entries, and after ~15 s it no longer grows.
					for (int i = 0; i < 100; i++) {
						this.cache.put((long) random.nextInt(40_000), new byte[1000]);
					}
				}
				case BATCH -> {
					// A batch job every 8 s: builds 120 MB of 64 KB chunks over 2 s, keeps it 2 s, drops it.
					long phase = nowMillis % 8000;
					if (phase < 2000) {
						if (this.batch.size() < 120 * 16) {
							for (int i = 0; i < 10; i++) {
								this.batch.add(new byte[64 * KB]);
							}
						}
					}
					else if (phase >= 4000) {
						this.batch.clear();
					}
				}
				case SPIKE -> {
					// From 15 s to 30 s a load spike: 5x the churn and 60 MB of in-flight request state.
					boolean spike = nowMillis >= 15_000 && nowMillis < 30_000;
					if (spike) {
						churn(800 * KB);
						this.batch.add(new byte[200 * KB]);
						if (this.batch.size() > 300) {
							this.batch.remove(0);
						}
					}
					else {
						this.batch.clear();
					}
				}
				case HUMONGOUS -> {
					// 4 MB arrays, 5 per second, each kept for the next ten: 40 MB alive, all of it freed.
					if (tick % 20 == 0) {
						this.batch.add(new byte[4 * MB]);
						if (this.batch.size() > 10) {
							this.batch.remove(0);
						}
					}
				}
				case STARTUP -> {
					// Start-up for 8 s: loads classes and builds 30 MB of configuration, then settles.
					if (nowMillis < 8000) {
						loadSomeClasses(tick);
						if (this.batch.size() < 30 * 1024) {
							for (int i = 0; i < 40; i++) {
								this.batch.add(new byte[KB]);
							}
						}
					}
				}
			}
		}

		void release() {
			this.chain = null;
			this.smallChain = null;
			this.cache.clear();
			this.listeners.clear();
			this.batch.clear();
			if (this.pool != null) {
				this.pool.shutdownNow();
			}
		}

		private static void churn(int bytes) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int done = 0;
			while (done < bytes) {
				int size = 64 + random.nextInt(8 * KB);
				sink = new byte[size];
				done += size;
			}
		}

		private static final String[] PACKAGES = { "java.util.", "java.util.concurrent.", "java.time.", "java.text.",
				"java.net.", "java.nio.file.", "javax.management.", "java.util.logging.", "java.sql." };

		private static int loaded;

		/** Loads JDK classes by name from the modules' class lists, a few per tick, as a start-up does. */
		private static void loadSomeClasses(long tick) {
			if (classNames == null) {
				classNames = listClasses();
			}
			for (int i = 0; i < 20 && loaded < classNames.size(); i++) {
				try {
					Class.forName(classNames.get(loaded++), true, Workload.class.getClassLoader());
				}
				catch (Throwable ex) {
					// Some classes refuse to initialise outside their context; loading them is what counts.
				}
			}
		}

		private static List<String> classNames;

		private static List<String> listClasses() {
			List<String> names = new ArrayList<>();
			try {
				java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
				for (String module : List.of("java.base", "java.sql", "java.management", "java.logging",
						"java.xml")) {
					try (var paths = java.nio.file.Files.walk(jrt.getPath("/modules", module))) {
						paths.map(Object::toString)
							.filter((p) -> p.endsWith(".class") && !p.contains("module-info"))
							.map((p) -> p.substring(("/modules/" + module + "/").length(), p.length() - 6)
								.replace('/', '.'))
							.filter((n) -> Arrays.stream(PACKAGES).anyMatch(n::startsWith)
									|| n.startsWith("com.sun.org.apache.xerces"))
							.forEach(names::add);
					}
				}
			}
			catch (Exception ex) {
				System.out.println("NOTE could not list JDK classes: " + ex);
			}
			return names;
		}

	}

	record Node(Node next, long a, long b) {
	}

}
