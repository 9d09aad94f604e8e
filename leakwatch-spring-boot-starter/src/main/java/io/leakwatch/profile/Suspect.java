package io.leakwatch.profile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What JFR's surviving samples say about one class that grew: which code allocated it, what keeps it
 * alive and how old it is, or plainly that no sample says anything.
 *
 * <p>
 * JFR samples allocations that take a slow path (a new TLAB, or outside a TLAB), so a leak of small
 * objects that each hold a large one, like the sample's {@code LeakyThing} and its 1 MB string, yields
 * samples of the large objects only. A class with fewer samples of its own is then described by the samples
 * held through one of its instances ({@link Evidence#HELD_SAMPLES}), which name the same code and the
 * same chain.
 *
 * @param className the class as Java source spells it
 * @param evidence where the sites and chain come from
 * @param sampledClass the class of the samples described: {@code className} itself, or the class of the
 * held objects; {@code null} when there is no sample
 * @param samples how many surviving samples are described
 * @param sites the allocation sites of those samples, most samples first
 * @param chain one representative reference chain from a GC root, taken from the top site's samples;
 * {@code null} when there is no sample or JFR found no path within its cutoff
 * @param medianAge the median age of the sampled objects (now less allocation time), or {@code null}
 * @param maxAge the age of the oldest sampled object, or {@code null}
 * @param note why there is no sample, or {@code null}
 */
public record Suspect(String className, Evidence evidence, String sampledClass, int samples,
		List<AllocationSite> sites, ReferenceChain chain, Duration medianAge, Duration maxAge, String note) {

	public Suspect {
		Objects.requireNonNull(className, "className");
		Objects.requireNonNull(evidence, "evidence");
		sites = List.copyOf(sites);
	}

	/** Where a suspect's sites and chain come from. */
	public enum Evidence {

		/** Samples of the class itself. */
		OWN_SAMPLES,

		/** Samples of other classes whose reference chain passes through an instance of the class. */
		HELD_SAMPLES,

		/** No surviving sample of the class or held through it. */
		NO_SAMPLE

	}

	/** A suspect with nothing to say, and why. */
	static Suspect noSample(String className, String note) {
		return new Suspect(className, Evidence.NO_SAMPLE, null, 0, List.of(), null, null, null, note);
	}

	/** Whether samples describe this class. */
	public boolean sampled() {
		return this.evidence != Evidence.NO_SAMPLE;
	}

	/**
	 * One line a developer can act on, for example (from {@code SuspectProfilerIT}'s program)
	 * {@code io.leakwatch.profile.SuspectLeakProgram$Listener holds byte[] allocated at
	 * SuspectLeakProgram.register(SuspectLeakProgram.java:59), held by SuspectLeakProgram.LISTENERS →
	 * ArrayList.elementData[2] → SuspectLeakProgram$Listener.buffer → byte[] (253 of 253 samples, oldest 5.5 s)}.
	 */
	public String oneLine() {
		if (!sampled()) {
			return this.className + ": no sample" + ((this.note != null) ? " (" + this.note + ")" : "");
		}
		StringBuilder line = new StringBuilder(this.className);
		if (this.evidence == Evidence.HELD_SAMPLES) {
			line.append(" holds ").append(this.sampledClass);
		}
		AllocationSite top = this.sites.get(0);
		if (top.frame().equals(Frame.NO_STACK_TRACE)) {
			line.append(" (allocation site unknown: sampled without a stack trace)");
		}
		else {
			line.append(" allocated at ").append(top.frame());
		}
		if (this.chain != null) {
			line.append(", held by ").append(this.chain.heldBy());
		}
		else {
			line.append(", no path to a GC root found");
		}
		line.append(" (").append(top.samples()).append(" of ").append(this.samples).append(" samples");
		if (this.maxAge != null) {
			line.append(", oldest ").append(age(this.maxAge));
		}
		return line.append(')').toString();
	}

	private static String age(Duration age) {
		long millis = age.toMillis();
		if (millis < 60_000) {
			return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		if (millis < 3_600_000) {
			return String.format(java.util.Locale.ROOT, "%.1f min", millis / 60_000.0);
		}
		return String.format(java.util.Locale.ROOT, "%.1f h", millis / 3_600_000.0);
	}

}
