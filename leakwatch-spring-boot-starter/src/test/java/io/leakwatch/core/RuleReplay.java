package io.leakwatch.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.leakwatch.corpus.CorpusLine;

/**
 * Runs the current {@link LeakRule} again on the base samples that recorded corpus runs gave the rule
 * ({@code CorpusBenchmark --record true --logs dir}), and prints, run by run, what the rule reported then
 * and what it reports now. A change to the rule is then tried on every collector's real sequences in
 * seconds, where running the corpus again takes most of an hour; the live runs stay the evidence, the
 * replay says which of them a change would alter. Not part of the test run.
 *
 * <p>
 * Usage: {@code RuleReplay [--show name] dir...} (each a {@code --logs} directory of a recorded run;
 * {@code --show} prints the samples of the runs whose name contains {@code name}). Replaying the rule
 * that ran must give the live events back exactly; a run where it does not is marked, since then the
 * replay misses something the live analyzer did. A replayed report counts from the leak's start to the
 * {@code BASE} line of the collection that gave its sample (for young floors that a full collection
 * confirmed, that collection), and takes the heap in use from that line, as the live figures do.
 */
public final class RuleReplay {

	/** The detector's logger, silenced: replayed reports are the table's, not warnings. */
	private static final java.util.logging.Logger detectorLogger = java.util.logging.Logger
		.getLogger(LeakDetector.class.getName());

	private RuleReplay() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 0) {
			System.err.println("usage: RuleReplay logsDir...");
			System.exit(2);
		}
		detectorLogger.setLevel(java.util.logging.Level.OFF);
		List<Path> files = new ArrayList<>();
		String show = null;
		for (int i = 0; i < args.length; i++) {
			String dir = args[i];
			if (dir.equals("--show") && i + 1 < args.length) {
				show = args[++i];
				continue;
			}
			try (Stream<Path> list = Files.list(Path.of(dir))) {
				list.filter((p) -> p.toString().endsWith(".log")).sorted().forEach(files::add);
			}
		}
		Totals totals = new Totals();
		System.out.println("| run | live: first event after the leak's start (s, samples, live / used %, rule) | "
				+ "replay | memwatch's rule, samples | live false alarms | replay false alarms |");
		System.out.println("|---|---|---|---|---|---|");
		for (Path file : files) {
			Run run = Run.read(file);
			if (run == null) {
				System.out.println("| " + file.getFileName() + " | not recorded | | | | |");
				continue;
			}
			Outcome replay = run.replay();
			if (show != null && run.name.contains(show)) {
				System.out.println(run.name + ": " + run.samplesText());
			}
			totals.add(run, replay);
			System.out.printf("| %s | %s | %s%s | %s | %d | %d%s |%n", run.name, describe(run.live, run),
					describe(replay, run), replay.sameAs(run.live) ? "" : " (differs)",
					!run.leaking ? "-" : (run.memwatchSamples < 0) ? "none" : Long.toString(run.memwatchSamples),
					run.live.falseAlarms, replay.falseAlarms, replay.alarms);
		}
		System.out.println();
		totals.print();
	}

	private static String describe(Outcome outcome, Run run) {
		if (!run.leaking) {
			return "-";
		}
		if (outcome.firstMillis < 0) {
			return "none";
		}
		return String.format(Locale.ROOT, "%.1f s, %d samples, %.0f / %.0f %%, %s", outcome.firstMillis / 1000.0,
				outcome.samples, outcome.basePercent, outcome.usedPercent, outcome.rule);
	}

	/** What a rule reported in one run. */
	private static final class Outcome {

		long firstMillis = -1;

		long samples;

		double basePercent;

		double usedPercent = Double.NaN;

		String rule = "";

		int falseAlarms;

		final StringBuilder alarms = new StringBuilder();

		boolean sameAs(Outcome other) {
			return this.falseAlarms == other.falseAlarms && this.rule.equals(other.rule)
					&& Math.abs(this.basePercent - other.basePercent) < 0.2;
		}

	}

	/** One recorded run: the rule's input and the live events. */
	private static final class Run {

		final String name;

		boolean leaking;

		long max;

		long clockMs;

		long clockEpoch;

		long leakStartMs = -1;

		long warmUpEnd;

		long nAtStart;

		long memwatchAtStart;

		/** memwatch's rule's first alert after the leak's start, from the same run: its samples, or -1. */
		long memwatchSamples = -1;

		final List<long[]> samples = new ArrayList<>();

		final Outcome live = new Outcome();

		private Run(String name) {
			this.name = name;
		}

		static Run read(Path file) throws IOException {
			Run run = new Run(file.getFileName().toString().replace(".log", ""));
			boolean recorded = false;
			for (String line : Files.readAllLines(file)) {
				if (line.contains("Terminating due to java.lang.OutOfMemoryError")) {
					// The JVM's last words, which can cut one of the child's lines: the run ended there.
					break;
				}
				String kind = CorpusLine.kind(line);
				Map<String, String> f = CorpusLine.fields(line);
				switch (kind) {
					case "CLOCK" -> {
						recorded = true;
						run.clockMs = Long.parseLong(f.get("ms"));
						run.clockEpoch = Long.parseLong(f.get("epoch"));
					}
					case "WARMUPEND" -> run.warmUpEnd = Long.parseLong(f.get("epoch"));
					case "READY" -> {
						run.leaking = Boolean.parseBoolean(f.get("leaking"));
						run.max = Long.parseLong(f.get("max"));
					}
					case "SAMPLE" -> run.samples
						.add(new long[] { Long.parseLong(f.get("epoch")), Long.parseLong(f.get("base")), -1, -1 });
					case "BASE" -> {
						// The stats of the collection whose samples came just before: when a report on them was
						// delivered, and the heap in use then.
						for (int i = run.samples.size() - 1; i >= 0 && run.samples.get(i)[2] < 0; i--) {
							run.samples.get(i)[2] = Long.parseLong(f.get("ms"));
							run.samples.get(i)[3] = Long.parseLong(f.get("used"));
						}
					}
					case "LEAKSTART" -> {
						run.leakStartMs = Long.parseLong(f.get("ms"));
						run.nAtStart = Long.parseLong(f.get("n"));
						run.memwatchAtStart = Long.parseLong(f.get("memwatchSamples"));
					}
					case "MEMWATCH" -> {
						if (run.leaking && run.leakStartMs >= 0 && Long.parseLong(f.get("ms")) >= run.leakStartMs
								&& run.memwatchSamples < 0) {
							run.memwatchSamples = Long.parseLong(f.get("n")) - run.memwatchAtStart;
						}
					}
					case "LEAK" -> {
						long ms = Long.parseLong(f.get("ms"));
						if (!run.leaking || run.leakStartMs < 0 || ms < run.leakStartMs) {
							run.live.falseAlarms++;
						}
						else if (run.live.firstMillis < 0) {
							run.live.firstMillis = ms - run.leakStartMs;
							run.live.samples = Long.parseLong(f.get("n")) - run.nAtStart;
							run.live.basePercent = Double.parseDouble(f.get("basePercent"));
							run.live.usedPercent = Double.parseDouble(f.get("usedPercent"));
							run.live.rule = f.get("rule");
						}
					}
					default -> {
					}
				}
			}
			return recorded ? run : null;
		}

		/** The samples as "seconds since the program started: MB", the warm-up's in brackets. */
		String samplesText() {
			StringBuilder text = new StringBuilder();
			for (long[] sample : this.samples) {
				double seconds = (sample[0] - this.clockEpoch + this.clockMs) / 1000.0;
				String value = String.format(Locale.ROOT, "%.1f: %.1f", seconds, sample[1] / 1048576.0);
				text.append((sample[0] < this.warmUpEnd) ? "[" + value + "]" : value).append(", ");
			}
			return text.toString();
		}

		long leakStartEpoch() {
			return (this.leakStartMs < 0) ? Long.MAX_VALUE : this.clockEpoch + this.leakStartMs - this.clockMs;
		}

		/**
		 * Feeds the samples to a new {@link LeakAnalyzer}, whose warm-up ends when the recorded one's did, so
		 * the warm-up, the rule and the report interval are the detector's own.
		 */
		Outcome replay() {
			long leakStart = leakStartEpoch();
			Outcome outcome = new Outcome();
			AtomicLong clock = new AtomicLong(this.warmUpEnd);
			long[][] current = new long[1][];
			long[] samplesSinceStart = { 0 };
			LeakListener listener = new LeakListener() {
				@Override
				public void onLeak(LeakReport report) {
					long[] sample = current[0];
					long time = sample[0];
					if (!Run.this.leaking || time < leakStart) {
						outcome.falseAlarms++;
						outcome.alarms.append(String.format(Locale.ROOT, " %s at %.1f s (%.0f %% live)", report.rule(),
								(time - Run.this.clockEpoch + Run.this.clockMs) / 1000.0,
								report.endBase() * 100.0 / Run.this.max));
					}
					else if (outcome.firstMillis < 0) {
						// Delivered with the collection that gave the sample: for young floors that a full
						// collection confirmed, at that collection, after the floor's own time.
						outcome.firstMillis = (sample[2] >= 0) ? sample[2] - Run.this.leakStartMs : time - leakStart;
						outcome.samples = samplesSinceStart[0];
						outcome.basePercent = report.endBase() * 100.0 / Run.this.max;
						outcome.usedPercent = (sample[3] >= 0) ? sample[3] * 100.0 / Run.this.max : Double.NaN;
						outcome.rule = report.rule();
					}
				}
			};
			LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ZERO), this.max,
					clock::get, listener);
			for (long[] sample : this.samples) {
				if (sample[0] >= leakStart) {
					samplesSinceStart[0]++;
				}
				current[0] = sample;
				clock.set(Math.max(clock.get(), sample[0]));
				// G1's bases never feed the slow trend; the recording names the collector in the run's name.
				analyzer.acceptBase(sample[0], sample[1], !this.name.contains("-G1-"));
			}
			return outcome;
		}

	}

	/** Sums over all runs, live and replayed. */
	private static final class Totals {

		int quietRuns;

		int leakingRuns;

		int[] falseAlarms = new int[2];

		int[] detected = new int[2];

		int[] before50 = new int[2];

		int differs;

		int memwatchDetected;

		int[] fewerThanMemwatch = new int[2];

		int[] equalToMemwatch = new int[2];

		void add(Run run, Outcome replay) {
			Outcome[] both = { run.live, replay };
			if (run.leaking) {
				this.leakingRuns++;
			}
			else {
				this.quietRuns++;
			}
			for (int i = 0; i < 2; i++) {
				this.falseAlarms[i] += both[i].falseAlarms;
				if (run.leaking && both[i].firstMillis >= 0) {
					this.detected[i]++;
					if (both[i].usedPercent < 50) {
						this.before50[i]++;
					}
				}
			}
			if (!replay.sameAs(run.live)) {
				this.differs++;
			}
			if (run.memwatchSamples >= 0) {
				this.memwatchDetected++;
				for (int i = 0; i < 2; i++) {
					if (both[i].firstMillis >= 0 && both[i].samples < run.memwatchSamples) {
						this.fewerThanMemwatch[i]++;
					}
					else if (both[i].firstMillis >= 0 && both[i].samples == run.memwatchSamples) {
						this.equalToMemwatch[i]++;
					}
				}
			}
		}

		void print() {
			System.out.printf("runs: %d leaking, %d not leaking; replay differs from live in %d%n", this.leakingRuns,
					this.quietRuns, this.differs);
			System.out.printf("live:   false alarms %d, detected %d of %d, before 50 %% of the heap in use %d%n",
					this.falseAlarms[0], this.detected[0], this.leakingRuns, this.before50[0]);
			System.out.printf("replay: false alarms %d, detected %d of %d, before 50 %% of the heap in use %d%n",
					this.falseAlarms[1], this.detected[1], this.leakingRuns, this.before50[1]);
			System.out.printf("fewer base samples than memwatch's rule, of the %d runs where it alerted: live %d "
					+ "(%d equal), replay %d (%d equal)%n", this.memwatchDetected, this.fewerThanMemwatch[0],
					this.equalToMemwatch[0], this.fewerThanMemwatch[1], this.equalToMemwatch[1]);
		}

	}

}
