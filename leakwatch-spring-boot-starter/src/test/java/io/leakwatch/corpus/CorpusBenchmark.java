package io.leakwatch.corpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.leakwatch.corpus.CorpusProgram.Scenario;
import io.leakwatch.corpus.CorpusRun.Detection;
import io.leakwatch.corpus.CorpusRun.Jdk;
import io.leakwatch.corpus.CorpusRun.Result;
import io.leakwatch.corpus.CorpusRun.Spec;

/**
 * Runs the detection corpus (scenario x collector x JDK x probe mode) as child JVMs and writes the
 * markdown tables for BENCHMARKS.md: leakwatch against memwatch's rule and a live-data alert, on the
 * same collections. Not part of the test run: the full corpus takes most of an hour on two cores.
 *
 * <p>
 * Options (all optional): {@code --scenarios seed,cache,...} (default all), {@code --collectors
 * G1,ZGC,...} (default every collector of each JDK), {@code --jdk /path/to/jdk,...} (default the running
 * one), {@code --probe 0,1000} (probe intervals in ms, 0 = passive; default 0), {@code --parallel 2}
 * (children at once), {@code --leak-seconds 70}, {@code --slow-seconds 250}, {@code --quiet-seconds 45},
 * {@code --warm-up-ms 10000}, {@code --out file.md}, {@code --logs dir}. {@code --from-logs dir} runs
 * nothing and writes the tables again from the output a run left in its {@code --logs} directory.
 * {@code --record true} runs every child to its end and has it print what leakwatch's rule was given,
 * for {@code io.leakwatch.core.RuleReplay} (use it with {@code --logs}).
 */
public final class CorpusBenchmark {

	private CorpusBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				System.err.println("Bad argument " + args[i] + ": options are --name value; see the class comment.");
				System.exit(2);
			}
			options.put(args[i].substring(2), args[++i]);
		}
		List<String> scenarios = list(options.getOrDefault("scenarios", ""));
		if (scenarios.isEmpty()) {
			Arrays.stream(Scenario.values()).map((s) -> s.name().toLowerCase(Locale.ROOT)).forEach(scenarios::add);
		}
		for (String scenario : scenarios) {
			if (Arrays.stream(Scenario.values()).noneMatch((s) -> s.name().equalsIgnoreCase(scenario))) {
				System.err.println("Unknown scenario " + scenario + "; known: " + Arrays.toString(Scenario.values()));
				System.exit(2);
			}
		}
		List<String> collectorFilter = list(options.getOrDefault("collectors", ""));
		List<Jdk> jdks = new ArrayList<>();
		for (String home : list(options.getOrDefault("jdk", ""))) {
			jdks.add(Jdk.of(home));
		}
		if (jdks.isEmpty()) {
			jdks.add(Jdk.current());
		}
		List<Long> probes = list(options.getOrDefault("probe", "0")).stream().map(Long::parseLong).toList();
		int parallel = Integer.parseInt(options.getOrDefault("parallel", "2"));
		long leakSeconds = Long.parseLong(options.getOrDefault("leak-seconds", "70"));
		long slowSeconds = Long.parseLong(options.getOrDefault("slow-seconds", "250"));
		long quietSeconds = Long.parseLong(options.getOrDefault("quiet-seconds", "45"));
		long warmUp = Long.parseLong(options.getOrDefault("warm-up-ms", "10000"));
		if (Boolean.parseBoolean(options.getOrDefault("record", "false"))) {
			System.setProperty(CorpusProgram.RECORD, "true");
		}
		Path logs = options.containsKey("logs") ? Files.createDirectories(Path.of(options.get("logs"))) : null;
		if (options.containsKey("from-logs")) {
			String markdown = markdown(fromLogs(Path.of(options.get("from-logs"))), null, null);
			System.out.println(markdown);
			if (options.containsKey("out")) {
				Files.writeString(Path.of(options.get("out")), markdown, StandardCharsets.UTF_8);
			}
			return;
		}

		List<Spec> specs = new ArrayList<>();
		for (Jdk jdk : jdks) {
			for (Map.Entry<String, List<String>> collector : jdk.collectors().entrySet()) {
				if (!collectorFilter.isEmpty() && !collectorFilter.contains(collector.getKey())) {
					continue;
				}
				for (String scenario : scenarios) {
					Scenario s = Scenario.valueOf(scenario.toUpperCase(Locale.ROOT));
					long seconds = !s.leaking ? quietSeconds : (s == Scenario.SLOW) ? slowSeconds : leakSeconds;
					for (long probe : probes) {
						if (probe > 0 && !s.leaking) {
							// Probing changes when a quiet collector runs, not what a healthy heap looks like;
							// the non-leaking runs are passive unless only probes were asked for.
							if (probes.contains(0L)) {
								continue;
							}
						}
						specs.add(new Spec(scenario, jdk, collector.getKey(), collector.getValue(), seconds, probe,
								warmUp));
					}
				}
			}
		}
		Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		System.out.printf("Running %d children, %d at a time%n", specs.size(), parallel);
		ExecutorService executor = Executors.newFixedThreadPool(parallel);
		List<Future<Result>> futures = new ArrayList<>();
		for (Spec spec : specs) {
			futures.add(executor.submit(() -> {
				Result result = CorpusRun.start(spec, logs).await();
				System.out.println(summary(result));
				return result;
			}));
		}
		List<Result> results = new ArrayList<>();
		try {
			for (Future<Result> future : futures) {
				results.add(future.get());
			}
		}
		finally {
			// A run that failed must not leave the pool's threads keeping this JVM alive.
			executor.shutdownNow();
		}
		Instant finished = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String markdown = markdown(results, started, finished);
		System.out.println();
		System.out.println(markdown);
		if (options.containsKey("out")) {
			Files.writeString(Path.of(options.get("out")), markdown, StandardCharsets.UTF_8);
		}
	}

	/** Reads the children's output files, named {@code scenario-jdkN-collector-probeMillis.log}. */
	private static List<Result> fromLogs(Path dir) throws Exception {
		List<Result> results = new ArrayList<>();
		List<Path> files;
		try (var listing = Files.list(dir)) {
			files = listing.filter((f) -> f.toString().endsWith(".log")).sorted().toList();
		}
		for (Path file : files) {
			String[] parts = file.getFileName().toString().replace(".log", "").split("-jdk|-");
			// scenario, feature, collector (may contain '-gen'), probe
			String scenario = parts[0];
			int feature = Integer.parseInt(parts[1]);
			String collector = String.join("-", Arrays.copyOfRange(parts, 2, parts.length - 1));
			long probe = Long.parseLong(parts[parts.length - 1]);
			Spec spec = new Spec(scenario, new Jdk("", feature), collector, List.of(), 0, probe, 0);
			results.add(CorpusRun.parse(spec, Files.readAllLines(file), 0));
		}
		results.sort(java.util.Comparator.comparing((Result r) -> r.spec().collector())
			.thenComparing((Result r) -> Arrays.asList(Scenario.values())
				.indexOf(Scenario.valueOf(r.spec().scenario().toUpperCase(Locale.ROOT)))));
		return results;
	}

	private static List<String> list(String csv) {
		List<String> items = new ArrayList<>();
		for (String item : csv.split(",")) {
			if (!item.isBlank()) {
				items.add(item.trim());
			}
		}
		return items;
	}

	static String summary(Result r) {
		return String.format("%s jdk%d %s %s: %s leakwatch=%s memwatch=%s liveData=%s falseAlarms=%s end=%s",
				r.spec().scenario(), r.spec().jdk().feature(), r.spec().collector(), r.spec().mode(),
				r.leaking() ? "leak" : "quiet", brief(r.leakwatch()), brief(r.memwatch()), brief(r.liveData()),
				Arrays.toString(r.falseAlarms()), r.end());
	}

	private static String brief(Detection d) {
		return (d == null) ? "-" : String.format("%.1fs/%d/%.0f%%", d.millis() / 1000.0, d.samples(), d.basePercent());
	}

	static String markdown(List<Result> results, Instant started, Instant finished) {
		StringBuilder md = new StringBuilder();
		if (started != null) {
			md.append(String.format("Run %s to %s.%n%n", started, finished));
		}
		md.append("Leaking scenarios: seconds and base samples from the leak's start to the first alert, and the "
				+ "live heap (the detector's own base) / heap in use at that moment, in % of `-Xmx256m`. "
				+ "\"-\" = no alert before the run ended (end: FULL = live heap above 90 %, OOM, DONE = time up). "
				+ "**bold** = leakwatch alerted before the heap was 50 % full.\n\n");
		md.append("| scenario | JDK | collector | mode | leakwatch | rule | memwatch rule | live-data alert | end |\n");
		md.append("|---|---|---|---|---|---|---|---|---|\n");
		for (Result r : results) {
			if (!r.leaking()) {
				continue;
			}
			Spec s = r.spec();
			String lw = cell(r.leakwatch(), true);
			if (r.leakwatch() != null && r.leakwatch().usedPercent() < 50) {
				lw = "**" + lw + "**";
			}
			md.append(String.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n", s.scenario(), s.jdk().feature(),
					s.collector(), s.mode(), lw, (r.leakwatch() != null) ? r.leakwatch().rule() : "", cell(r.memwatch(), true),
					cell(r.liveData(), false), r.end()));
		}
		md.append("\nNon-leaking scenarios: alerts per detector (each is a false alarm), per run.\n\n");
		md.append("| scenario | JDK | collector | mode | seconds | leakwatch | memwatch rule | live-data alert | "
				+ "leakwatch base samples | collections | detector CPU per collection |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		double hours = 0;
		long[] total = new long[3];
		for (Result r : results) {
			Spec s = r.spec();
			if (r.leaking()) {
				// Alerts before a leak started are false alarms too, but its run time is not non-leaking time.
				for (int i = 0; i < 3; i++) {
					total[i] += r.falseAlarms()[i];
				}
				continue;
			}
			hours += r.runMillis() / 3_600_000.0;
			for (int i = 0; i < 3; i++) {
				total[i] += r.falseAlarms()[i];
			}
			String cpu = (r.collections() > 0) ? String.format("%.0f µs", r.detectorCpuMs() * 1000 / r.collections())
					: "-";
			md.append(String.format("| %s | %d | %s | %s | %.0f | %d | %d | %d | %d | %d | %s |%n", s.scenario(),
					s.jdk().feature(), s.collector(), s.mode(), r.runMillis() / 1000.0, r.falseAlarms()[0],
					r.falseAlarms()[1], r.falseAlarms()[2], r.baseSamples(), r.collections(), cpu));
		}
		if (hours > 0) {
			md.append(String.format("%nFalse alarms over %.2f h of non-leaking runs (plus any alert before a leak "
					+ "started): leakwatch %d (%.0f/h), memwatch rule %d (%.0f/h), live-data alert %d (%.0f/h).%n",
					hours, total[0], total[0] / hours, total[1], total[1] / hours, total[2], total[2] / hours));
		}
		return md.toString();
	}

	private static String cell(Detection d, boolean samples) {
		if (d == null) {
			return "-";
		}
		String n = (samples && d.samples() >= 0) ? ", " + d.samples() + " samples" : "";
		return String.format("%.1f s%s, %.0f / %.0f %%", d.millis() / 1000.0, n, d.basePercent(), d.usedPercent());
	}

}
