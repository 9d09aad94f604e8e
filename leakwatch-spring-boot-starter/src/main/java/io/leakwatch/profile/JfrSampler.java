package io.leakwatch.profile;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leakwatch.heap.ClassNames;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Every use of the {@code jdk.jfr} module, in one class that is loaded only once JFR is known to be
 * there, so a JVM without the module never resolves a JFR type.
 *
 * <p>
 * The sampling recording keeps {@code jdk.OldObjectSample} enabled, which keeps the JVM's sampler (and
 * the samples it holds) alive; with a cutoff of zero and kept in memory, it writes nothing while it runs.
 * Samples are emitted by a second, short recording: JFR emits the surviving samples when a recording
 * with the event enabled stops, searching paths to GC roots for as long as that recording's cutoff
 * allows. The sampler keeps its samples after an emission, so this can be repeated while sampling goes
 * on. Only samples whose object has survived a collection since it was sampled are emitted.
 */
final class JfrSampler implements AutoCloseable {

	static final String EVENT = "jdk.OldObjectSample";

	private static final String CLASS_NAME_PREFIX = "Class Name: ";

	private static final Pattern HIDDEN_17 = Pattern.compile("(.+)\\+(0x\\p{XDigit}+)\\.\\d+");

	private static final Pattern HIDDEN_LATER = Pattern.compile("(.+)\\.(0x\\p{XDigit}+)");

	private final Recording sampling;

	private JfrSampler(Recording sampling) {
		this.sampling = sampling;
	}

	/**
	 * Starts sampling.
	 * @param stackTraces whether each sample records its allocation's stack trace: that walk, at every
	 * allocation that takes the slow path, was the larger part of the sampler's cost in most runs (see
	 * BENCHMARKS.md)
	 */
	static JfrSampler start(boolean stackTraces) {
		Recording sampling = new Recording();
		try {
			sampling.setName("leakwatch suspects: sampling");
			sampling.enable(EVENT).with("stackTrace", String.valueOf(stackTraces)).with("cutoff", "0 ns");
			sampling.setToDisk(false);
			sampling.start();
			return new JfrSampler(sampling);
		}
		catch (RuntimeException | Error ex) {
			sampling.close();
			throw ex;
		}
	}

	/**
	 * Records stack traces with the samples from now on, or stops recording them; the samples held keep
	 * theirs. JFR applies a running recording's new settings at once.
	 */
	void stackTraces(boolean on) {
		this.sampling.enable(EVENT).with("stackTrace", String.valueOf(on));
	}

	/** Whether this JVM's JFR knows the event, which another VM's may not. */
	static boolean knowsEvent() {
		return jdk.jfr.FlightRecorder.getFlightRecorder()
			.getEventTypes()
			.stream()
			.anyMatch((type) -> EVENT.equals(type.getName()));
	}

	/** Whether JFR is usable in this JVM, with the JDK's own word for it. */
	static boolean available() {
		return jdk.jfr.FlightRecorder.isAvailable();
	}

	/**
	 * Emits the surviving samples with paths to GC roots into the file and reads them back.
	 * @param cutoff JFR's cutoff setting, for example {@code 500000000 ns} or {@code infinity}
	 * @param file an owner-only file to write to; the caller deletes it
	 * @return the samples and the wall time of the emission
	 * @throws IOException when the file cannot be written or read
	 */
	Emission emit(String cutoff, Path file) throws IOException {
		long elapsed;
		try (Recording emission = new Recording()) {
			emission.setName("leakwatch suspects: emission");
			emission.enable(EVENT).withStackTrace().with("cutoff", cutoff);
			emission.setDestination(file);
			emission.start();
			long start = System.nanoTime();
			emission.stop();
			elapsed = System.nanoTime() - start;
		}
		List<Sample> samples = new ArrayList<>();
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				if (EVENT.equals(event.getEventType().getName())) {
					samples.add(sample(event));
				}
			}
		}
		return new Emission(samples, Duration.ofNanos(elapsed));
	}

	/** The samples of one emission and how long it took. */
	record Emission(List<Sample> samples, Duration elapsed) {

	}

	private static Sample sample(RecordedEvent event) {
		RecordedObject object = event.getValue("object");
		String className = className(object);
		Duration age = event.hasField("objectAge") ? event.getDuration("objectAge")
				: Duration.between(event.getInstant("allocationTime"), event.getStartTime());
		return new Sample(className, age, stack(event.getStackTrace()), chain(event, object, className));
	}

	private static String className(RecordedObject object) {
		RecordedClass type = (object != null) ? object.getValue("type") : null;
		return (type != null) ? className(type) : "(unknown)";
	}

	/**
	 * The class's name as {@code Class.getName()} and a class histogram spell it. JFR names a hidden
	 * class (a lambda) {@code A$$Lambda$65+0x00007f8f60000a08.592959754} on JDK 17 and
	 * {@code A$$Lambda.0x0000000025040210} on JDK 25, where the JVM says {@code A$$Lambda$65/0x...}.
	 */
	static String className(RecordedClass type) {
		return hiddenToBinary(ClassNames.readable(type.getName()));
	}

	static String hiddenToBinary(String name) {
		Matcher jdk17 = HIDDEN_17.matcher(name);
		if (jdk17.matches()) {
			return jdk17.group(1) + "/" + jdk17.group(2);
		}
		Matcher later = HIDDEN_LATER.matcher(name);
		if (later.matches()) {
			return later.group(1) + "/" + later.group(2);
		}
		return name;
	}

	private static List<Frame> stack(RecordedStackTrace trace) {
		if (trace == null) {
			return List.of();
		}
		List<Frame> frames = new ArrayList<>();
		for (RecordedFrame frame : trace.getFrames()) {
			frames.add(Frame.of(className(frame.getMethod().getType()),
					frame.getMethod().getName(), frame.getLineNumber()));
		}
		return frames;
	}

	/**
	 * The chain from the root to the object. JFR links it the other way: each object names its referrer
	 * (the object holding it, with the field or array index), up to the object the root refers to.
	 */
	private static ReferenceChain chain(RecordedEvent event, RecordedObject object, String className) {
		List<ReferenceChain.Link> links = new ArrayList<>();
		RecordedObject current = object;
		while (current != null) {
			RecordedObject reference = current.getValue("referrer");
			if (reference == null) {
				break;
			}
			RecordedObject holder = reference.getValue("object");
			links.add(link(reference, holder));
			current = holder;
		}
		RecordedObject root = event.getValue("root");
		if (links.isEmpty() && root == null) {
			return null;
		}
		Collections.reverse(links);
		ReferenceChain.GcRoot gcRoot = (root != null)
				? new ReferenceChain.GcRoot(text(root, "system"), text(root, "type"), text(root, "description")) : null;
		return new ReferenceChain(gcRoot, links, className);
	}

	private static ReferenceChain.Link link(RecordedObject reference, RecordedObject holder) {
		String holderClass = className(holder);
		long skipped = reference.hasField("skip") ? reference.getInt("skip") : 0;
		RecordedObject field = reference.getValue("field");
		RecordedObject array = reference.getValue("array");
		String fieldName = (field != null) ? field.getString("name") : null;
		boolean isStatic = field != null && Modifier.isStatic(field.getInt("modifiers"));
		String description = (holder != null) ? holder.getString("description") : null;
		if (isStatic && "java.lang.Class".equals(holderClass) && description != null
				&& description.startsWith(CLASS_NAME_PREFIX)) {
			// A static field's holder is the class mirror; JFR names the class in its description.
			holderClass = ClassNames.readable(description.substring(CLASS_NAME_PREFIX.length()).trim());
		}
		int index = (array != null) ? array.getInt("index") : -1;
		return new ReferenceChain.Link(holderClass, fieldName, isStatic, index, skipped);
	}

	private static String text(RecordedObject object, String field) {
		if (!object.hasField(field)) {
			return null;
		}
		Object value = object.getValue(field);
		return (value != null) ? value.toString() : null;
	}

	/** Stops sampling; the sampler's samples go with it. */
	@Override
	public void close() {
		// Disabled first, so that stopping does not emit the samples (JFR emits on stop).
		this.sampling.disable(EVENT);
		this.sampling.close();
	}

}
