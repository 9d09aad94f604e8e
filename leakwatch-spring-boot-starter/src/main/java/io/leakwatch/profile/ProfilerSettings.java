package io.leakwatch.profile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The suspect profiler's knobs, kept apart from the profiler so the Spring layer can bind them from
 * properties and a test can name the value it depends on.
 *
 * @param cutoff the longest time JDK Flight Recorder may spend searching the heap for the samples' paths
 * to GC roots each time suspects are asked for (its {@code jdk.OldObjectSample#cutoff}); the search runs
 * at a safepoint, so this bounds the pause it adds (which overshot it by 0.1-0.2 s in BENCHMARKS.md). Zero
 * searches no paths and takes no safepoint (suspects then carry
 * allocation sites and ages only); {@link #NO_CUTOFF} lets the search finish however long it takes
 * @param skippedPackages package prefixes of frames that are skipped at the top of an allocation stack
 * to find the frame that names the allocating code (for example {@code java.} for the
 * {@code Arrays.copyOf} under {@code ArrayList.add})
 */
public record ProfilerSettings(Duration cutoff, List<String> skippedPackages) {

	/** A cutoff the search never reaches: JFR's {@code infinity}. */
	public static final Duration NO_CUTOFF = Duration.ofDays(365);

	/**
	 * The default cutoff. BENCHMARKS.md measures the search: under 0.1 s on the seed's leak with
	 * {@code -Xmx512m}, 0.6-0.9 s on a heap of four million objects (which this lets finish), and a pause
	 * that overshoots the cutoff by 0.1-0.2 s when the cutoff is what stops it.
	 */
	public static final Duration DEFAULT_CUTOFF = Duration.ofSeconds(1);

	/** The JDK's own packages: their frames say how, not where, an object was allocated. */
	public static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.",
			"com.sun.");

	public ProfilerSettings {
		Objects.requireNonNull(cutoff, "cutoff");
		Objects.requireNonNull(skippedPackages, "skippedPackages");
		if (cutoff.isNegative()) {
			throw new IllegalArgumentException("cutoff must not be negative, was " + cutoff);
		}
		skippedPackages = List.copyOf(skippedPackages);
	}

	/** The default cutoff and the JDK's packages skipped. */
	public static ProfilerSettings defaults() {
		return new ProfilerSettings(DEFAULT_CUTOFF, JDK_PACKAGES);
	}

	/** These settings with another cutoff. */
	public ProfilerSettings withCutoff(Duration cutoff) {
		return new ProfilerSettings(cutoff, this.skippedPackages);
	}

	/** These settings with other skipped package prefixes. */
	public ProfilerSettings withSkippedPackages(List<String> skippedPackages) {
		return new ProfilerSettings(this.cutoff, skippedPackages);
	}

	/** The cutoff as JFR's setting spells it. */
	String jfrCutoff() {
		if (this.cutoff.compareTo(NO_CUTOFF) >= 0) {
			return "infinity";
		}
		return this.cutoff.toNanos() + " ns";
	}

}
