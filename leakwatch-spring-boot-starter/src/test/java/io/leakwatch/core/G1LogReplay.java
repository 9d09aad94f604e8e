package io.leakwatch.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a G1 run of JDK 20 or later through the whole rule, as the notifications would have told it:
 * reads a {@code -Xlog:gc,gc+heap=debug} file, turns each pause into the {@link GcEvent} its notification
 * carries (young and mixed pauses on {@code G1 Young Generation}, Remark and Cleanup on
 * {@code G1 Concurrent GC}, full collections on {@code G1 Old Generation}; the old generation as its old
 * and humongous regions), feeds them to a {@link LeakAnalyzer} and prints each report, and how the
 * mixed collections {@link G1MixedPhases} found compare with the log's own labels. For BENCHMARKS.md, not
 * a test. Usage: {@code G1LogReplay gc.log [warmUpMillis [heapMaxMb]]}. The log rounds the heap down to
 * whole megabytes and counts regions, so the bases are approximate.
 */
public final class G1LogReplay {

	private static final Pattern REGION_SIZE = Pattern.compile("region size (\\d+)K");

	private static final Pattern REGIONS = Pattern.compile("GC\\((\\d+)\\) (Old|Humongous) regions: (\\d+)->(\\d+)");

	private static final Pattern PAUSE = Pattern.compile(
			"^\\[([0-9.]+)s\\].*GC\\((\\d+)\\) Pause (Young \\(([^)]*)\\)|Remark|Cleanup|Full) \\(?([^)]*?)\\)? ?(\\d+)M->(\\d+)M\\(\\d+M\\) ([0-9.]+)ms");

	private G1LogReplay() {
	}

	public static void main(String[] args) throws Exception {
		long warmUp = (args.length > 1) ? Long.parseLong(args[1]) : 10_000;
		long heapMax = ((args.length > 2) ? Long.parseLong(args[2]) : 256) << 20;
		AtomicLong clock = new AtomicLong();
		LeakAnalyzer analyzer = new LeakAnalyzer(DetectorSettings.defaults().withWarmUp(Duration.ofMillis(warmUp)),
				heapMax, clock::get, new LeakListener() {

					@Override
					public void onLeak(LeakReport report) {
						System.out.printf("LEAK at %.1f s: %s, growth %d MB, base %d MB%n", clock.get() / 1000.0,
								report.rule(), report.growthBytes() >> 20, report.stats().currentBase() >> 20);
					}

				});
		G1MixedPhases phases = new G1MixedPhases();
		long regionBytes = 1 << 20;
		Map<Integer, long[]> oldRegions = new HashMap<>();
		int[] counts = new int[4]; // labelled mixed, found and labelled, found but labelled otherwise, pauses
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			Matcher size = REGION_SIZE.matcher(line);
			if (size.find()) {
				regionBytes = Long.parseLong(size.group(1)) << 10;
			}
			Matcher regions = REGIONS.matcher(line);
			if (regions.find()) {
				long[] old = oldRegions.computeIfAbsent(Integer.parseInt(regions.group(1)), (id) -> new long[2]);
				old[0] += Long.parseLong(regions.group(3));
				old[1] += Long.parseLong(regions.group(4));
				continue;
			}
			Matcher pause = PAUSE.matcher(line);
			if (!pause.find()) {
				continue;
			}
			long end = Math.round(Double.parseDouble(pause.group(1)) * 1000);
			long before = Long.parseLong(pause.group(6)) << 20;
			long after = Long.parseLong(pause.group(7)) << 20;
			long duration = Math.round(Double.parseDouble(pause.group(8)));
			String kind = pause.group(3);
			GcEvent event;
			if (kind.equals("Remark") || kind.equals("Cleanup")) {
				event = new GcEvent(CollectorModel.G1_CONCURRENT, "end of concurrent GC pause", "G1 " + kind, end,
						duration, before, after, before, after);
			}
			else {
				long[] old = oldRegions.getOrDefault(Integer.parseInt(pause.group(2)), new long[] { -1, -1 });
				String name = kind.equals("Full") ? "G1 Old Generation" : "G1 Young Generation";
				event = new GcEvent(name, kind.equals("Full") ? "end of major GC" : "end of minor GC", pause.group(5),
						end, duration, before, after, old[0] * regionBytes, old[1] * regionBytes);
			}
			clock.set(end);
			boolean labelled = "Mixed".equals(pause.group(4));
			boolean found = phases.accept(event, CollectorModel.classify(event));
			counts[0] += labelled ? 1 : 0;
			counts[1] += (found && labelled) ? 1 : 0;
			counts[2] += (found && !labelled) ? 1 : 0;
			counts[3]++;
			analyzer.accept(event);
		}
		System.out.printf("END %d pauses; mixed in the log %d, found from the notifications %d of them, and %d "
				+ "others; %d leak reports%n", counts[3], counts[0], counts[1], counts[2], analyzer.leakCount());
	}

}
