package io.leakwatch.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two leaks for the suspect profiler, run as a child JVM by {@link SuspectProfilerIT}: {@code chain} (the
 * seed's shape: each new object holds the previous one, from a static field) and {@code listeners}
 * (listeners added to a static list and never removed). It starts the profiler, leaks, asks for
 * suspects twice while sampling goes on (leaking more in between), closes the profiler and asks once
 * more; each answer is printed as lines the test parses. Arguments: {@code chain|listeners count
 * [cutoffMillis]}.
 */
public final class SuspectLeakProgram {

	static final int PAYLOAD = 16 * 1024;

	static volatile ChainLink head;

	static final List<Listener> LISTENERS = new ArrayList<>();

	/** The garbage a real application makes alongside its leak; each one dies when the next replaces it. */
	static volatile byte[] scratch;

	private SuspectLeakProgram() {
	}

	/** The chain leak's link: a payload and the previous link. */
	static final class ChainLink {

		final ChainLink previous;

		final byte[] payload;

		ChainLink(ChainLink previous, byte[] payload) {
			this.previous = previous;
			this.payload = payload;
		}

	}

	/** The listener leak's listener: a buffer it would fill on each event. */
	static final class Listener {

		final byte[] buffer;

		Listener(byte[] buffer) {
			this.buffer = buffer;
		}

	}

	static void grow() {
		head = new ChainLink(head, new byte[PAYLOAD]); // allocation site: chain
	}

	static void register() {
		LISTENERS.add(new Listener(new byte[PAYLOAD])); // allocation site: listeners
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		int count = Integer.parseInt(args[1]);
		ProfilerSettings settings = ProfilerSettings.defaults();
		if (args.length > 2) {
			settings = settings.withCutoff(Duration.ofMillis(Long.parseLong(args[2])));
		}
		SuspectProfiler.Availability availability = SuspectProfiler.availability();
		System.out.println("AVAILABLE " + availability.available() + " " + availability.reason());
		List<String> classes = "chain".equals(mode)
				? List.of(ChainLink.class.getName(), "byte[]", "java.lang.Thread")
				: List.of(Listener.class.getName(), "java.lang.Object[]", "byte[]");
		try (SuspectProfiler profiler = SuspectProfiler.start(settings)) {
			leak(mode, count / 2);
			print("first", profiler.suspects(classes, 3));
			leak(mode, count - count / 2);
			print("second", profiler.suspects(classes, 3));
			profiler.close();
			print("closed", profiler.suspects(classes, 3));
		}
		System.out.println("DONE");
	}

	private static void leak(String mode, int count) {
		for (int i = 0; i < count; i++) {
			if ("chain".equals(mode)) {
				grow();
			}
			else {
				register();
			}
			scratch = new byte[PAYLOAD];
			// JFR emits only samples older than the last collection that found a sampled object dead.
			if (i % 500 == 499) {
				System.gc();
			}
		}
		System.gc();
	}

	private static void print(String label, SuspectReport report) {
		System.out.println("REPORT " + label + " samplesRead=" + report.samplesRead() + " searchMs="
				+ report.searchTime().toMillis() + " unavailable=" + report.unavailableReason());
		for (Suspect suspect : report.suspects()) {
			StringBuilder line = new StringBuilder("SUSPECT ").append(label)
				.append(' ').append(suspect.className())
				.append(" evidence=").append(suspect.evidence())
				.append(" sampledClass=").append(suspect.sampledClass())
				.append(" samples=").append(suspect.samples());
			if (suspect.sampled()) {
				Frame site = suspect.sites().get(0).frame();
				line.append(" site=").append(site.className()).append('|').append(site.method()).append('|')
					.append(site.file()).append('|').append(site.line())
					.append(" share=").append(suspect.sites().get(0).share())
					.append(" maxAgeMs=").append(suspect.maxAge().toMillis());
				if (suspect.chain() != null) {
					line.append(" root=").append(suspect.chain().root() != null ? suspect.chain().root().system() : null);
					line.append(" links=");
					for (ReferenceChain.Link link : suspect.chain().links()) {
						line.append(link.holder()).append('#').append(link.field()).append('#').append(link.index())
							.append('#').append(link.skipped()).append(',');
					}
				}
			}
			System.out.println(line);
			System.out.println("ONELINE " + label + " " + suspect.oneLine());
			if (suspect.chain() != null) {
				System.out.println("CHAIN " + label + " " + suspect.chain());
			}
		}
	}

}
