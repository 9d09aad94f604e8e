package io.leakwatch.profile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The suspects for the classes a diff or a leak report asked about, with what naming them cost; it is
 * returned even when JDK Flight Recorder is missing, so a diff never fails for want of suspects.
 *
 * @param suspects one entry per requested class, in the requested order
 * @param samplesRead how many {@code jdk.OldObjectSample} events JFR emitted (all classes)
 * @param samplesWithPath how many of them came with a path to a GC root: fewer than {@code samplesRead}
 * when the search hit its cutoff
 * @param searchTime the wall time of the emission, which includes JFR's search for paths to GC roots
 * at a safepoint: an upper bound of the pause it added
 * @param cutoff the search's time limit that was in force
 * @param unavailableReason why there are no suspects (JFR missing, disabled, or the profiler closed), or
 * {@code null}
 */
public record SuspectReport(List<Suspect> suspects, int samplesRead, int samplesWithPath, Duration searchTime,
		Duration cutoff, String unavailableReason) {

	public SuspectReport {
		suspects = List.copyOf(suspects);
	}

	/** A report with a "no sample" entry for each class, for a profiler that cannot sample. */
	static SuspectReport unavailable(List<String> classNames, Duration cutoff, String reason) {
		return new SuspectReport(classNames.stream().map((name) -> Suspect.noSample(name, reason)).toList(), 0,
				0, Duration.ZERO, cutoff, reason);
	}

	/** Whether the profiler could sample. */
	public boolean available() {
		return this.unavailableReason == null;
	}

	/** The first requested class that samples describe: the one for a leak event's log line. */
	public Optional<Suspect> top() {
		return this.suspects.stream().filter(Suspect::sampled).findFirst();
	}

}
