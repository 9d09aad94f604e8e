package io.leakwatch.profile;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The pause {@link SuspectProfiler#suspects} adds, on two heaps, each in a child JVM with
 * {@code -Xlog:safepoint}: {@code sample} (the seed's leak, 1 MB strings in a closure chain, about 200 MB
 * with {@code -Xmx512m}) and {@code millions} (a map of a million entries, about four million live
 * objects, plus the seed's chain, {@code -Xmx1g}). Each child asks for suspects with cutoffs of zero,
 * 250 ms, the default and infinity, alternating, and reports the wall time of the emission and the safepoint JFR
 * took for the path search ({@code JFROldObject}) as {@code -Xlog:safepoint} prints it. Not part of the
 * test run: {@code java -cp ... io.leakwatch.profile.SuspectPauseBenchmark [rounds] [java]}.
 */
public final class SuspectPauseBenchmark {

	private static final String[] CUTOFFS = { "0", "250ms", "default", "infinity" };

	/** The seed's leak: a 1 MB string and a closure over the previous thing. */
	static final class Thing {

		final String longStr;

		final Runnable someMethod;

		Thing(String longStr, Runnable someMethod) {
			this.longStr = longStr;
			this.someMethod = someMethod;
		}

	}

	/** One entry's value in the large map. */
	record Item(long id, byte[] data) {

	}

	static volatile Thing theThing;

	static final Map<Long, Item> ITEMS = new HashMap<>();

	static volatile byte[] scratch;

	private SuspectPauseBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("child")) {
			child(args[1], Integer.parseInt(args[2]));
			return;
		}
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		String java = (args.length > 1) ? args[1]
				: System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		System.out.println("java: " + java + " (" + version(java) + "), default cutoff "
				+ ProfilerSettings.DEFAULT_CUTOFF.toMillis() + " ms, rounds " + rounds);
		System.out.println("| heap | live objects (approx.) | cutoff | samples with path / read | emission wall time "
				+ "(median, min-max) | JFROldObject safepoint (median, min-max) |");
		System.out.println("|---|---|---|---|---|---|");
		run(java, "sample", "-Xmx512m", rounds);
		run(java, "millions", "-Xmx1g", rounds);
	}

	private static void run(String java, String heap, String xmx, int rounds) throws Exception {
		List<String> command = List.of(java, xmx, "-Xlog:safepoint", "-cp", System.getProperty("java.class.path"),
				SuspectPauseBenchmark.class.getName(), "child", heap, Integer.toString(rounds));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Map<String, List<double[]>> results = new TreeMap<>();
		String label = null;
		double safepointMs = 0;
		String objects = "?";
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (line.startsWith("BEGIN ")) {
					label = line.substring(6);
					safepointMs = 0;
				}
				else if (line.contains("Safepoint \"JFROldObject\"") && label != null) {
					safepointMs += nanos(line, "Total: ") / 1e6;
				}
				else if (line.startsWith("END ")) {
					String[] parts = line.split(" ");
					results.computeIfAbsent(label, (key) -> new ArrayList<>())
						.add(new double[] { Double.parseDouble(parts[1]), safepointMs, Double.parseDouble(parts[2]),
								Double.parseDouble(parts[3]) });
					label = null;
				}
				else if (line.startsWith("HEAP ")) {
					objects = line.substring(5);
				}
				else if (line.startsWith("TOP ") || line.startsWith("ERROR")) {
					System.out.println("  " + line);
				}
			}
		}
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
		for (String cutoff : CUTOFFS) {
			List<double[]> runs = results.getOrDefault(cutoff, List.of());
			if (runs.isEmpty()) {
				System.out.println("| " + heap + " | " + objects + " | " + cutoff + " | no result | | |");
				continue;
			}
			System.out.printf(Locale.ROOT, "| %s (%s) | %s | %s | %.0f / %.0f | %s | %s |%n", heap, xmx, objects, cutoff,
					median(runs, 2), median(runs, 3), spread(runs, 0), spread(runs, 1));
		}
	}

	private static void child(String heap, int rounds) throws Exception {
		try (SuspectProfiler profiler = SuspectProfiler.start(ProfilerSettings.defaults())) {
			int things = heap.equals("sample") ? 200 : 50;
			for (int i = 0; i < things; i++) {
				Thing originalThing = theThing;
				theThing = new Thing("*".repeat(1_000_000), () -> {
					if (originalThing != null) {
						scratch = null;
					}
				});
				for (int k = 0; k < 100; k++) {
					scratch = new byte[1024];
				}
			}
			if (heap.equals("millions")) {
				for (long i = 0; i < 1_000_000; i++) {
					ITEMS.put(i, new Item(i, new byte[16]));
					if (i % 10 == 0) {
						scratch = new byte[64];
					}
				}
			}
			System.gc();
			System.gc();
			System.out.println("HEAP " + (heap.equals("sample") ? "~1 thousand" : "~4 million"));
			List<String> classes = List.of(Thing.class.getName(), "byte[]", Item.class.getName());
			for (int round = 0; round < rounds; round++) {
				for (String cutoff : CUTOFFS) {
					Duration value = switch (cutoff) {
						case "0" -> Duration.ZERO;
						case "infinity" -> ProfilerSettings.NO_CUTOFF;
						case "250ms" -> Duration.ofMillis(250);
						default -> ProfilerSettings.DEFAULT_CUTOFF;
					};
					System.out.println("BEGIN " + cutoff);
					SuspectReport report = profiler.suspects(classes, 3, value);
					System.out.println("END " + report.searchTime().toNanos() / 1e6 + " " + report.samplesWithPath() + " "
							+ report.samplesRead());
					if (round == 0) {
						System.out.println("TOP " + cutoff + ": " + report.top().map(Suspect::oneLine).orElse("none"));
					}
				}
			}
		}
		catch (RuntimeException | Error ex) {
			System.out.println("ERROR " + ex);
		}
		System.out.println("ITEMS " + ITEMS.size() + (theThing != null));
	}

	private static long nanos(String line, String key) {
		int at = line.indexOf(key) + key.length();
		return Long.parseLong(line.substring(at, line.indexOf(' ', at)));
	}

	private static double median(List<double[]> runs, int column) {
		List<Double> values = runs.stream().map((run) -> run[column]).sorted().toList();
		return values.get(values.size() / 2);
	}

	private static String spread(List<double[]> runs, int column) {
		List<Double> values = runs.stream().map((run) -> run[column]).sorted().toList();
		return String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f)", values.get(values.size() / 2), values.get(0),
				values.get(values.size() - 1));
	}

	static String version(String java) throws Exception {
		Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
		String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
			.findFirst()
			.orElse("?");
		process.waitFor();
		return first;
	}

}
