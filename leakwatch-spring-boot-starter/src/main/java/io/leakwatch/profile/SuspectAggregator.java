package io.leakwatch.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns surviving samples into one suspect per class: separate from JFR so the rules (which frame names
 * the site, which chain represents a class, when held samples stand in for own ones) are tested on their
 * own.
 */
final class SuspectAggregator {

	/** Callers of the site kept in a site's stack, so a helper method's callers show. */
	private static final int CALLERS = 2;

	/**
	 * JFR emits only samples allocated before the last collection that found a sampled object dead
	 * (HotSpot's {@code ObjectSampler::oop_storage_gc_notification}), and Shenandoah on JDK 25 emitted none
	 * in our runs.
	 */
	static final String NO_SAMPLE_EMITTED = "JFR emitted no sample: it emits those allocated before the last "
			+ "collection that found a sampled object dead, and there is none yet (or this collector emits none: "
			+ "Shenandoah on JDK 25)";

	private final List<String> skippedPackages;

	SuspectAggregator(List<String> skippedPackages) {
		this.skippedPackages = List.copyOf(skippedPackages);
	}

	/**
	 * The suspect for one class.
	 * @param className the class as Java source spells it
	 * @param samples every surviving sample emitted
	 * @param maxSites how many allocation sites to keep, at least 1
	 * @return the suspect, with {@link Suspect.Evidence#NO_SAMPLE} when no sample is of the class or held
	 * through it
	 */
	Suspect suspect(String className, List<Sample> samples, int maxSites) {
		List<Sample> own = new ArrayList<>();
		for (Sample sample : samples) {
			if (sample.className().equals(className)) {
				own.add(sample);
			}
		}
		// Small objects that hold large ones are rarely sampled themselves: their instances show up as
		// holders on the chains of what they hold. Whichever evidence has more samples describes the class,
		// so one small instance that happened to be sampled does not replace forty chains through others.
		Map<String, List<Sample>> held = new LinkedHashMap<>();
		for (Sample sample : samples) {
			if (!sample.className().equals(className) && sample.chain() != null
					&& sample.chain().passesThrough(className)) {
				held.computeIfAbsent(sample.className(), (name) -> new ArrayList<>()).add(sample);
			}
		}
		Map.Entry<String, List<Sample>> most = held.entrySet().stream()
			.max(Comparator.comparingInt((Map.Entry<String, List<Sample>> entry) -> entry.getValue().size()))
			.orElse(null);
		if (!own.isEmpty() && (most == null || own.size() >= most.getValue().size())) {
			return describe(className, Suspect.Evidence.OWN_SAMPLES, className, own, maxSites);
		}
		if (most != null) {
			return describe(className, Suspect.Evidence.HELD_SAMPLES, most.getKey(), most.getValue(), maxSites);
		}
		if (samples.isEmpty()) {
			return Suspect.noSample(className, NO_SAMPLE_EMITTED);
		}
		return Suspect.noSample(className, "none of the " + samples.size()
				+ " surviving samples is of this class or held through it: JFR keeps a few hundred samples of "
				+ "allocations that needed a new TLAB, and one class of small objects may have none");
	}

	private Suspect describe(String className, Suspect.Evidence evidence, String sampledClass, List<Sample> samples,
			int maxSites) {
		// Sites from the samples that recorded a stack trace (an always-on profiler records them only
		// while the heap rises): a "(no stack trace)" site only when none did.
		List<Sample> located = samples.stream().filter((sample) -> !sample.stack().isEmpty()).toList();
		if (located.isEmpty()) {
			located = samples;
		}
		Map<Frame, List<Sample>> bySite = new LinkedHashMap<>();
		for (Sample sample : located) {
			bySite.computeIfAbsent(siteFrame(sample.stack()), (frame) -> new ArrayList<>()).add(sample);
		}
		List<Map.Entry<Frame, List<Sample>>> ranked = new ArrayList<>(bySite.entrySet());
		ranked.sort(Comparator.comparingInt((Map.Entry<Frame, List<Sample>> entry) -> entry.getValue().size())
			.reversed());
		List<AllocationSite> sites = new ArrayList<>();
		for (Map.Entry<Frame, List<Sample>> entry : ranked.subList(0, Math.min(Math.max(1, maxSites), ranked.size()))) {
			List<Sample> atSite = entry.getValue();
			sites.add(new AllocationSite(entry.getKey(), stackAround(atSite.get(0).stack()), atSite.size(),
					(double) atSite.size() / located.size()));
		}
		List<Duration> ages = samples.stream().map(Sample::age).sorted().toList();
		return new Suspect(className, evidence, sampledClass, samples.size(), sites,
				representativeChain(ranked.get(0).getValue()), ages.get(ages.size() / 2), ages.get(ages.size() - 1),
				null);
	}

	/** The first frame outside the skipped packages, or the top frame when all are skipped. */
	Frame siteFrame(List<Frame> stack) {
		if (stack.isEmpty()) {
			return Frame.NO_STACK_TRACE;
		}
		return stack.get(siteIndex(stack));
	}

	private int siteIndex(List<Frame> stack) {
		for (int i = 0; i < stack.size(); i++) {
			if (!skipped(stack.get(i).className())) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * The classes that hold the most surviving samples, for a report with no diff to say what grew: per
	 * sample, its own class when that is outside the skipped packages, otherwise the holder nearest to it
	 * on its chain that is (a {@code LeakyThing} for the 1 MB {@code byte[]} it holds through a
	 * {@code String}).
	 * @param samples every surviving sample emitted
	 * @param classes how many classes at most
	 * @param excluded classes never named (the caller's own)
	 * @return the classes, most samples first
	 */
	List<String> holders(List<Sample> samples, int classes, Predicate<String> excluded) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (Sample sample : samples) {
			String holder = holder(sample, excluded);
			if (holder != null) {
				counts.merge(holder, 1, Integer::sum);
			}
		}
		return counts.entrySet().stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(classes)
			.map(Map.Entry::getKey)
			.toList();
	}

	private String holder(Sample sample, Predicate<String> excluded) {
		if (!skippedType(sample.className()) && !excluded.test(sample.className())) {
			return sample.className();
		}
		if (sample.chain() == null) {
			return null;
		}
		List<ReferenceChain.Link> links = sample.chain().links();
		for (int i = links.size() - 1; i >= 0; i--) {
			ReferenceChain.Link link = links.get(i);
			if (link.skipped() == 0 && !skippedType(link.holder()) && !excluded.test(link.holder())) {
				return link.holder();
			}
		}
		return null;
	}

	/** Whether a type is the JDK's: primitives, skipped packages, and arrays of them. */
	private boolean skippedType(String className) {
		String element = className.replace("[]", "");
		return element.indexOf('.') < 0 || skipped(element);
	}

	private boolean skipped(String className) {
		for (String prefix : this.skippedPackages) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private List<Frame> stackAround(List<Frame> stack) {
		if (stack.isEmpty()) {
			return List.of();
		}
		return stack.subList(0, Math.min(stack.size(), siteIndex(stack) + 1 + CALLERS));
	}

	/**
	 * The chain most samples share where it matters (the holder a developer acts on, see
	 * {@link ReferenceChain#heldBy()}); among those, the oldest object's, which has been held longest.
	 */
	private static ReferenceChain representativeChain(List<Sample> samples) {
		Map<String, List<Sample>> byHolder = new LinkedHashMap<>();
		for (Sample sample : samples) {
			if (sample.chain() != null && sample.chain().root() != null) {
				byHolder.computeIfAbsent(sample.chain().holderKey(), (key) -> new ArrayList<>()).add(sample);
			}
		}
		if (byHolder.isEmpty()) {
			return samples.stream().map(Sample::chain).filter((chain) -> chain != null).findFirst().orElse(null);
		}
		List<Sample> most = byHolder.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
		return most.stream().max(Comparator.comparing(Sample::age)).orElseThrow().chain();
	}

}
