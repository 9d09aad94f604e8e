package io.leakwatch.actuate;

import java.time.Duration;
import java.util.List;

import io.leakwatch.profile.AllocationSite;
import io.leakwatch.profile.Frame;
import io.leakwatch.profile.ReferenceChain;
import io.leakwatch.profile.Suspect;
import io.leakwatch.profile.SuspectReport;

/**
 * A diff's {@code suspects} as the endpoints render them: for the classes that grew, which code
 * allocated them and what keeps them alive, with each site and chain also as the one line a developer
 * pastes into an IDE; times in milliseconds and seconds, so no client has to parse ISO durations.
 *
 * @param available whether JDK Flight Recorder's leak profiler could sample
 * @param unavailableReason why there are no suspects, or null
 * @param samplesRead surviving samples JFR emitted (all classes)
 * @param samplesWithPath how many of them came with a path to a GC root
 * @param searchMillis wall time of the emission, path search included (an upper bound of its pause)
 * @param cutoffMillis the path search's time limit
 * @param suspects one entry per class asked about: sampled ones first
 */
public record SuspectsDescriptor(boolean available, String unavailableReason, int samplesRead, int samplesWithPath,
		long searchMillis, long cutoffMillis, List<SuspectDescriptor> suspects) {

	static SuspectsDescriptor of(SuspectReport report) {
		if (report == null) {
			return null;
		}
		return new SuspectsDescriptor(report.available(), report.unavailableReason(), report.samplesRead(),
				report.samplesWithPath(), report.searchTime().toMillis(), report.cutoff().toMillis(),
				report.suspects().stream().map(SuspectDescriptor::of).toList());
	}

	/**
	 * One class.
	 *
	 * @param what the class that grew
	 * @param summary the one line to act on
	 * @param evidence {@code OWN_SAMPLES}, {@code HELD_SAMPLES} (samples of objects it holds) or
	 * {@code NO_SAMPLE}
	 * @param sampledClass the class of the samples described
	 * @param samples how many samples are described
	 * @param sites allocation sites, most samples first
	 * @param chain one representative reference chain from a GC root, or null
	 * @param medianAgeSeconds median age of the sampled objects, or null
	 * @param maxAgeSeconds age of the oldest, or null
	 * @param note why there is no sample, or null
	 */
	public record SuspectDescriptor(String what, String summary, String evidence, String sampledClass, int samples,
			List<SiteDescriptor> sites, ChainDescriptor chain, Double medianAgeSeconds, Double maxAgeSeconds,
			String note) {

		static SuspectDescriptor of(Suspect suspect) {
			return new SuspectDescriptor(suspect.className(), suspect.oneLine(), suspect.evidence().name(),
					suspect.sampledClass(), suspect.samples(),
					suspect.sites().stream().map(SiteDescriptor::of).toList(), ChainDescriptor.of(suspect.chain()),
					seconds(suspect.medianAge()), seconds(suspect.maxAge()), suspect.note());
		}

		private static Double seconds(Duration duration) {
			return (duration != null) ? duration.toMillis() / 1000.0 : null;
		}

	}

	/**
	 * One allocation site.
	 *
	 * @param at the site as a stack trace prints it: {@code LeakyService.replaceThing(LeakyService.java:42)}
	 * @param className the site's class
	 * @param method its method
	 * @param file its source file
	 * @param line its line, or -1
	 * @param samples samples allocated here
	 * @param share their share of the class's samples, in [0..1]
	 * @param stack the top of one sample's stack, allocating frame first
	 */
	public record SiteDescriptor(String at, String className, String method, String file, int line, int samples,
			double share, List<String> stack) {

		static SiteDescriptor of(AllocationSite site) {
			Frame frame = site.frame();
			return new SiteDescriptor(frame.toString(), frame.className(), frame.method(), frame.file(), frame.line(),
					site.samples(), Math.round(site.share() * 1000) / 1000.0,
					site.stack().stream().map(Frame::toString).toList());
		}

	}

	/**
	 * A reference chain.
	 *
	 * @param rootKind the GC root's subsystem and type, e.g. {@code Threads / Stack Variable}
	 * @param rootDescription what JFR says about the root
	 * @param heldBy the part to act on, repeats folded
	 * @param text the whole chain, repeats folded
	 * @param links each referrer from the root's side: class and field, or array index
	 */
	public record ChainDescriptor(String rootKind, String rootDescription, String heldBy, String text,
			List<LinkDescriptor> links) {

		static ChainDescriptor of(ReferenceChain chain) {
			if (chain == null) {
				return null;
			}
			ReferenceChain.GcRoot root = chain.root();
			String kind = (root != null) ? join(root.system(), root.type()) : null;
			return new ChainDescriptor(kind, (root != null) ? root.description() : null, chain.heldBy(),
					chain.toString(), chain.links().stream().map(LinkDescriptor::of).toList());
		}

		private static String join(String system, String type) {
			if (system == null) {
				return type;
			}
			return (type != null) ? system + " / " + type : system;
		}

	}

	/**
	 * One referrer.
	 *
	 * @param holder the class holding the reference
	 * @param field its field, or null for an array element
	 * @param staticField whether the field is static
	 * @param index the array index, or -1
	 * @param skipped references JFR left out here, or 0
	 */
	public record LinkDescriptor(String holder, String field, boolean staticField, int index, long skipped) {

		static LinkDescriptor of(ReferenceChain.Link link) {
			return new LinkDescriptor(link.holder(), link.field(), link.staticField(), link.index(), link.skipped());
		}

	}

}
