package io.leakwatch.profile;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Names the code behind a leak with JDK Flight Recorder's leak profiler ({@code jdk.OldObjectSample}):
 * while it runs, the JVM keeps a few hundred sampled allocations with their stack traces for as long as
 * they live; {@link #suspects} asks JFR for the survivors with their paths to GC roots and sums them up
 * per class. Everything goes through the public {@code jdk.jfr} API, in process.
 *
 * <p>
 * Where JFR is missing (a runtime without the {@code jdk.jfr} module, another VM) or disabled, the
 * profiler starts anyway and every report says why it has no suspects: a diff never fails for want of
 * them.
 */
public final class SuspectProfiler implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(SuspectProfiler.class.getName());

	private final ProfilerSettings settings;

	private final SuspectAggregator aggregator;

	/** {@code null} when JFR is unavailable or the profiler is closed; written under the lock. */
	private volatile JfrSampler sampler;

	private volatile String unavailableReason;

	/** Whether samples record their stack traces; written under the lock. */
	private volatile boolean stackTraces;

	/** One emission at a time: each one is a safepoint pause, and two would search the same heap twice. */
	private final ReentrantLock lock = new ReentrantLock();

	private SuspectProfiler(ProfilerSettings settings, JfrSampler sampler, String unavailableReason,
			boolean stackTraces) {
		this.settings = settings;
		this.aggregator = new SuspectAggregator(settings.skippedPackages());
		this.sampler = sampler;
		this.unavailableReason = unavailableReason;
		this.stackTraces = stackTraces;
	}

	/**
	 * Whether JFR's leak profiler can run in this JVM.
	 *
	 * @param available whether it can
	 * @param reason why not, or {@code null}
	 */
	public record Availability(boolean available, String reason) {

		static Availability yes() {
			return new Availability(true, null);
		}

		static Availability no(String reason) {
			return new Availability(false, reason);
		}

	}

	/**
	 * Whether JFR's leak profiler can run in this JVM: the {@code jdk.jfr} module is there, JFR is not
	 * disabled (for example with {@code -XX:-FlightRecorder}) and knows {@code jdk.OldObjectSample}.
	 * Checking initialises JFR, which costs some milliseconds once.
	 */
	public static Availability availability() {
		if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty() && !jfrClassPresent()) {
			return Availability.no("the jdk.jfr module is not in this runtime");
		}
		try {
			if (!JfrSampler.available()) {
				return Availability.no("JDK Flight Recorder is disabled in this JVM (for example with "
						+ "-XX:-FlightRecorder) or not supported on this platform");
			}
			if (!JfrSampler.knowsEvent()) {
				return Availability.no("this JVM's Flight Recorder has no " + JfrSampler.EVENT + " event");
			}
			return Availability.yes();
		}
		catch (SecurityException ex) {
			return Availability.no("JDK Flight Recorder is not permitted here: " + ex.getMessage());
		}
		catch (RuntimeException | LinkageError ex) {
			return Availability.no("JDK Flight Recorder cannot start: " + ex);
		}
	}

	private static boolean jfrClassPresent() {
		try {
			Class.forName("jdk.jfr.FlightRecorder", false, SuspectProfiler.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Starts sampling, or, where JFR cannot sample, returns a profiler whose reports say why (logged once
	 * as a warning).
	 * @param settings the cutoff and the frames skipped to find allocation sites
	 * @return the profiler, recording stack traces; close it to stop sampling
	 */
	public static SuspectProfiler start(ProfilerSettings settings) {
		return start(settings, true);
	}

	/**
	 * Like {@link #start(ProfilerSettings)}, with or without stack traces.
	 * @param settings the cutoff and the frames skipped to find allocation sites
	 * @param stackTraces whether samples record where they were allocated (see
	 * {@link #stackTraces(boolean)})
	 * @return the profiler; close it to stop sampling
	 */
	public static SuspectProfiler start(ProfilerSettings settings, boolean stackTraces) {
		Objects.requireNonNull(settings, "settings");
		Availability availability = availability();
		if (!availability.available()) {
			logger.log(Level.WARNING, "leakwatch cannot name leak suspects: " + availability.reason());
			return new SuspectProfiler(settings, null, availability.reason(), stackTraces);
		}
		try {
			return new SuspectProfiler(settings, JfrSampler.start(stackTraces), null, stackTraces);
		}
		catch (RuntimeException | LinkageError ex) {
			String reason = "JDK Flight Recorder could not start a recording: " + ex;
			logger.log(Level.WARNING, "leakwatch cannot name leak suspects: " + reason);
			return new SuspectProfiler(settings, null, reason, stackTraces);
		}
	}

	/**
	 * Starts or stops recording stack traces with the samples. JFR walks the stack at every sampled
	 * allocation: with stack traces the sampler cost an allocation-heavy workload up to 2.4 % of its
	 * throughput, without them under 1 % (medians of side-by-side runs, BENCHMARKS.md). Turning them on
	 * starts the sampler afresh: JFR keeps the samples of long-lived objects over new ones, so a leak's
	 * samples taken without stack traces would keep out the ones taken with them (JDK 17 kept 2 of 93 new
	 * samples in a test); the fresh samples are of objects allocated from now on. Turning them off keeps
	 * the samples held.
	 * @param on whether to record them
	 */
	public void stackTraces(boolean on) {
		this.lock.lock();
		try {
			if (on == this.stackTraces) {
				return;
			}
			this.stackTraces = on;
			JfrSampler current = this.sampler;
			if (current == null) {
				return;
			}
			if (on) {
				current.close();
				this.sampler = JfrSampler.start(true);
			}
			else {
				current.stackTraces(false);
			}
		}
		catch (RuntimeException | LinkageError ex) {
			this.sampler = null;
			this.unavailableReason = "JDK Flight Recorder could not restart the sampling recording: " + ex;
			logger.log(Level.WARNING, "leakwatch cannot name leak suspects: " + this.unavailableReason);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether samples record their stack traces. */
	public boolean recordsStackTraces() {
		return this.stackTraces;
	}

	/** Whether the profiler is sampling. */
	public boolean sampling() {
		return this.sampler != null;
	}

	/** The settings it runs with. */
	public ProfilerSettings settings() {
		return this.settings;
	}

	/**
	 * Emits the samples the JVM holds, with paths to GC roots searched for at most the cutoff (at a
	 * safepoint), and sums them up for these classes. Sampling goes on, so this can be asked again. Only
	 * objects that have survived a collection since they were sampled are emitted: the JVM sweeps dead
	 * samples at collections.
	 * @param classNames the classes that grew, as Java source spells them ({@code byte[]},
	 * {@code a.b.Outer$Inner}), in the order the suspects are wanted
	 * @param maxSites how many allocation sites to keep per class, at least 1
	 * @return one suspect per class; without JFR, a report that says why
	 */
	public SuspectReport suspects(List<String> classNames, int maxSites) {
		return suspects(classNames, maxSites, this.settings.cutoff());
	}

	/**
	 * Like {@link #suspects(List, int)} with another cutoff for this once, for a caller that can afford a
	 * longer search (or none).
	 * @param classNames the classes that grew, as Java source spells them
	 * @param maxSites how many allocation sites to keep per class, at least 1
	 * @param cutoff the path search's time limit: zero for none, {@link ProfilerSettings#NO_CUTOFF} for no
	 * limit
	 * @return one suspect per class; without JFR, a report that says why
	 */
	public SuspectReport suspects(List<String> classNames, int maxSites, Duration cutoff) {
		Objects.requireNonNull(classNames, "classNames");
		List<String> names = List.copyOf(classNames);
		return emit(names, (samples) -> names, maxSites, cutoff);
	}

	/**
	 * Suspects without a diff to say what grew, for a leak report: the classes outside the skipped
	 * packages that hold the most surviving samples (the holder nearest to each sampled object on its
	 * chain, or the sampled class itself).
	 * @param classes how many classes at most
	 * @param maxSites how many allocation sites to keep per class, at least 1
	 * @param excluded classes never named (the caller's own)
	 * @return the suspects, most samples first; without JFR, a report that says why
	 */
	public SuspectReport suspectsOfHolders(int classes, int maxSites, Predicate<String> excluded) {
		return emit(List.of(), (samples) -> this.aggregator.holders(samples, classes, excluded), maxSites,
				this.settings.cutoff());
	}

	private SuspectReport emit(List<String> names, Function<List<Sample>, List<String>> choose, int maxSites,
			Duration cutoff) {
		ProfilerSettings once = this.settings.withCutoff(Objects.requireNonNull(cutoff, "cutoff"));
		if (maxSites < 1) {
			throw new IllegalArgumentException("maxSites must be at least 1, was " + maxSites);
		}
		this.lock.lock();
		try {
			if (this.sampler == null) {
				return SuspectReport.unavailable(names, cutoff,
						(this.unavailableReason != null) ? this.unavailableReason : "the suspect profiler is closed");
			}
			Path file = null;
			try {
				file = ownerOnlyFile();
				JfrSampler.Emission emission = this.sampler.emit(once.jfrCutoff(), file);
				List<Suspect> suspects = new ArrayList<>();
				for (String name : choose.apply(emission.samples())) {
					suspects.add(this.aggregator.suspect(name, emission.samples(), maxSites));
				}
				int withPath = (int) emission.samples().stream()
					.filter((sample) -> sample.chain() != null && sample.chain().root() != null)
					.count();
				return new SuspectReport(suspects, emission.samples().size(), withPath, emission.elapsed(), cutoff,
						null);
			}
			catch (IOException | RuntimeException ex) {
				logger.log(Level.WARNING, "leakwatch could not read JFR's leak samples", ex);
				return SuspectReport.unavailable(names, cutoff,
						"JDK Flight Recorder's samples could not be read: " + ex);
			}
			finally {
				delete(file);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The emitted samples hold class and method names of this application: readable by its owner only. */
	private static Path ownerOnlyFile() throws IOException {
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			return Files.createTempFile("leakwatch-suspects-", ".jfr",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		return Files.createTempFile("leakwatch-suspects-", ".jfr");
	}

	private static void delete(Path file) {
		if (file == null) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, "leakwatch could not delete " + file, ex);
		}
	}

	/** Stops sampling; later reports say the profiler is closed. */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.sampler != null) {
				this.sampler.close();
				this.sampler = null;
				this.unavailableReason = "the suspect profiler is closed";
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
