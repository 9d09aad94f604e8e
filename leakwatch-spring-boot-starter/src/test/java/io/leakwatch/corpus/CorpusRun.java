package io.leakwatch.corpus;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.leakwatch.it.ChildJvm;

/**
 * Runs one {@link CorpusProgram} scenario in a child JVM (any JDK, any collector) and reads its output
 * lines into a {@link Result}: the benchmark and the quick integration test share it so both count
 * detections, samples and false alarms the same way.
 */
final class CorpusRun {

	private CorpusRun() {
	}

	/**
	 * One JDK to run children on.
	 * @param home its {@code java.home}
	 * @param feature its feature version (17, 25, ...)
	 */
	record Jdk(String home, int feature) {

		static Jdk current() {
			return new Jdk(System.getProperty("java.home"), Runtime.version().feature());
		}

		/** Reads the feature version from the JDK's {@code release} file. */
		static Jdk of(String home) throws IOException {
			Path release = Path.of(home, "release");
			if (!Files.isRegularFile(release)) {
				throw new IllegalArgumentException("Not a JDK (no release file): " + home);
			}
			for (String line : Files.readAllLines(release)) {
				if (line.startsWith("JAVA_VERSION=")) {
					String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
					return new Jdk(home, Integer.parseInt(version.split("[.+-]")[0]));
				}
			}
			throw new IllegalArgumentException("No JAVA_VERSION in " + release);
		}

		String java() {
			return this.home + File.separator + "bin" + File.separator + "java";
		}

		/** The collectors the corpus runs on this JDK, by name, with the options that select them. */
		Map<String, List<String>> collectors() throws Exception {
			Map<String, List<String>> candidates = new LinkedHashMap<>();
			candidates.put("G1", List.of("-XX:+UseG1GC"));
			candidates.put("Parallel", List.of("-XX:+UseParallelGC"));
			candidates.put("Serial", List.of("-XX:+UseSerialGC"));
			if (this.feature >= 21 && this.feature < 23) {
				candidates.put("ZGC", List.of("-XX:+UseZGC", "-XX:-ZGenerational"));
				candidates.put("ZGC-gen", List.of("-XX:+UseZGC", "-XX:+ZGenerational"));
			}
			else {
				candidates.put((this.feature >= 23) ? "ZGC-gen" : "ZGC", List.of("-XX:+UseZGC"));
			}
			candidates.put("Shenandoah", List.of("-XX:+UseShenandoahGC"));
			if (this.feature >= 25) {
				candidates.put("Shenandoah-gen", List.of("-XX:+UseShenandoahGC", "-XX:+UnlockExperimentalVMOptions",
						"-XX:ShenandoahGCMode=generational"));
			}
			Map<String, List<String>> supported = new LinkedHashMap<>();
			for (Map.Entry<String, List<String>> candidate : candidates.entrySet()) {
				if (ChildJvm.supports(java(), candidate.getValue())) {
					supported.put(candidate.getKey(), candidate.getValue());
				}
			}
			return supported;
		}

	}

	/**
	 * What to run.
	 * @param scenario the scenario's name (lower case)
	 * @param jdk the JDK
	 * @param collector the collector's name
	 * @param collectorOptions the options selecting it
	 * @param seconds how long the child runs at most
	 * @param probeMillis leakwatch's probe interval, 0 for passive
	 * @param warmUpMillis leakwatch's warm-up, which is also when a leaking scenario starts leaking
	 */
	record Spec(String scenario, Jdk jdk, String collector, List<String> collectorOptions, long seconds,
			long probeMillis, long warmUpMillis) {

		String mode() {
			return (this.probeMillis > 0) ? "probe " + this.probeMillis / 1000.0 + "s" : "passive";
		}

	}

	/**
	 * One detector's first alert after the leak started.
	 * @param millis when, from the leak's start
	 * @param samples base samples (that detector's own) from the leak's start to the alert, or -1 when the
	 * detector has no samples (the live-data alert samples a gauge every second)
	 * @param basePercent the live heap the detector saw at the alert, in percent of the maximum heap
	 * @param usedPercent the heap in use when the alert was delivered, in percent
	 * @param rule which of leakwatch's rules fired, or empty
	 */
	record Detection(long millis, long samples, double basePercent, double usedPercent, String rule) {
	}

	/**
	 * The outcome of one run.
	 * @param spec what ran
	 * @param leaking whether the scenario leaks
	 * @param leakwatch leakwatch's first event after the leak's start, or null
	 * @param memwatch memwatch's rule's, or null
	 * @param liveData the live-data alert's, or null
	 * @param falseAlarms events of each detector (leakwatch, memwatch, live data) that cannot be a
	 * detection: all of a non-leaking run's, and a leaking run's before its leak started
	 * @param runMillis how long the child ran
	 * @param end how it ended: DONE, FULL (live heap above 90 %), OOM, TIMEOUT or ERROR
	 * @param detectorCpuMs CPU time of leakwatch's thread, -1 when unknown
	 * @param collections young and old collections leakwatch analysed, -1 when unknown
	 * @param baseSamples leakwatch's base samples over the whole run, -1 when unknown
	 * @param lines the child's output, for diagnosis
	 */
	record Result(Spec spec, boolean leaking, Detection leakwatch, Detection memwatch, Detection liveData,
			long[] falseAlarms, long runMillis, String end, double detectorCpuMs, long collections, long baseSamples,
			List<String> lines) {
	}

	/** Starts the child; {@link Started#await} reads its result. */
	static Started start(Spec spec, Path logDir) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(spec.jdk().java());
		command.add("-Xmx256m");
		command.add("-XX:+ExitOnOutOfMemoryError");
		command.addAll(spec.collectorOptions());
		if (Boolean.getBoolean(CorpusProgram.RECORD)) {
			command.add("-D" + CorpusProgram.RECORD + "=true");
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(CorpusProgram.class.getName());
		command.add(spec.scenario());
		command.add(Long.toString(spec.seconds()));
		command.add(Long.toString(spec.probeMillis()));
		command.add(Long.toString(spec.warmUpMillis()));
		Path log = (logDir != null) ? logDir.resolve(String.format("%s-jdk%d-%s-%s.log", spec.scenario(),
				spec.jdk().feature(), spec.collector(), spec.probeMillis())) : null;
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (log != null) {
			builder.redirectOutput(log.toFile());
		}
		return new Started(spec, builder.start(), log, System.nanoTime());
	}

	/** A running child. */
	static final class Started {

		private final Spec spec;

		private final Process process;

		private final Path log;

		private final long startNanos;

		Started(Spec spec, Process process, Path log, long startNanos) {
			this.spec = spec;
			this.process = process;
			this.log = log;
			this.startNanos = startNanos;
		}

		Result await() throws Exception {
			String output = "";
			if (this.log == null) {
				try (InputStream in = this.process.getInputStream()) {
					// Read on this thread; the child's lifetime is bounded below, and halts when done.
					Thread killer = new Thread(this::killLate, "corpus-run-timeout");
					killer.setDaemon(true);
					killer.start();
					output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
					killer.interrupt();
				}
			}
			boolean timedOut = !this.process.waitFor(this.spec.seconds() + 60, TimeUnit.SECONDS);
			if (timedOut) {
				this.process.destroyForcibly();
			}
			if (this.log != null) {
				output = Files.readString(this.log, StandardCharsets.UTF_8);
			}
			List<String> lines = new ArrayList<>(output.lines().toList());
			if (timedOut) {
				lines.add("TIMEOUT");
			}
			return parse(this.spec, lines, (System.nanoTime() - this.startNanos) / 1_000_000);
		}

		private void killLate() {
			try {
				if (!this.process.waitFor(this.spec.seconds() + 60, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void destroy() {
			this.process.destroyForcibly();
		}

	}

	static Result parse(Spec spec, List<String> lines, long wallMillis) {
		boolean leaking = false;
		long leakStart = Long.MAX_VALUE;
		long nAtStart = 0;
		long memwatchAtStart = 0;
		Detection leakwatch = null;
		Detection memwatch = null;
		Detection liveData = null;
		long[] falseAlarms = new long[3];
		long runMillis = wallMillis;
		String end = "ERROR";
		double cpu = -1;
		long collections = -1;
		long baseSamples = -1;
		for (String line : lines) {
			if (line.contains("Terminating due to java.lang.OutOfMemoryError")) {
				// The JVM's last words can cut one of the child's lines in the middle (the corpus's cache under
				// Parallel: "MEMWATCH ... basePercent=Terminating due to ..."); that line is lost, the run ended.
				end = "OOM";
				continue;
			}
			String kind = CorpusLine.kind(line);
			Map<String, String> f = CorpusLine.fields(line);
			switch (kind) {
				case "READY" -> leaking = Boolean.parseBoolean(f.get("leaking"));
				case "LEAKSTART" -> {
					leakStart = Long.parseLong(f.get("ms"));
					nAtStart = Long.parseLong(f.get("n"));
					memwatchAtStart = Long.parseLong(f.get("memwatchSamples"));
				}
				case "LEAK", "MEMWATCH", "LIVEDATA" -> {
					int which = kind.equals("LEAK") ? 0 : kind.equals("MEMWATCH") ? 1 : 2;
					long ms = Long.parseLong(f.get("ms"));
					if (!leaking || ms < leakStart) {
						falseAlarms[which]++;
						continue;
					}
					long samples = switch (which) {
						case 0 -> Long.parseLong(f.get("n")) - nAtStart;
						case 1 -> Long.parseLong(f.get("n")) - memwatchAtStart;
						default -> -1;
					};
					Detection detection = new Detection(ms - leakStart, samples,
							Double.parseDouble(f.get("basePercent")), Double.parseDouble(f.get("usedPercent")),
							f.getOrDefault("rule", ""));
					if (which == 0 && leakwatch == null) {
						leakwatch = detection;
					}
					else if (which == 1 && memwatch == null) {
						memwatch = detection;
					}
					else if (which == 2 && liveData == null) {
						liveData = detection;
					}
				}
				case "DONE" -> {
					end = "DONE";
					runMillis = Long.parseLong(f.get("ms"));
					cpu = Double.parseDouble(f.get("detectorCpuMs"));
					collections = Long.parseLong(f.get("fullGc")) + Long.parseLong(f.get("incGc"));
					baseSamples = Long.parseLong(f.get("samples"));
				}
				case "FULL" -> {
					end = "FULL";
					runMillis = Long.parseLong(f.get("ms"));
				}
				case "OOM" -> end = "OOM";
				case "TIMEOUT" -> end = "TIMEOUT";
				default -> {
				}
			}
		}
		return new Result(spec, leaking, leakwatch, memwatch, liveData, falseAlarms, runMillis, end, cpu,
				collections, baseSamples, lines);
	}

}
