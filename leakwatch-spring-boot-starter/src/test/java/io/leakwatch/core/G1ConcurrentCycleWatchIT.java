package io.leakwatch.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leakwatch.it.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mixed collections JFR reports to {@link G1ConcurrentCycleWatch} are G1's own, with the heap G1
 * logs after each: a child JVM on this JDK (17 and 25 in CI) runs {@link G1MixedProgram} with
 * {@code -Xlog:gc}, and the two accounts are compared pause by pause. On JDK 20 and later the same run
 * checks what {@link G1MixedPhases} takes for mixed collections from the notifications.
 */
class G1ConcurrentCycleWatchIT {

	private static final Pattern MIXED_PAUSE = Pattern.compile("Pause Young \\(Mixed\\).* \\d+M->(\\d+)M\\(");

	private static final Pattern PREPARE_MIXED_PAUSE = Pattern
		.compile("Pause Young \\(Prepare Mixed\\).* \\d+M->(\\d+)M\\(");

	private static final long MB = 1024 * 1024;

	@Test
	void reportsEachMixedCollectionWithTheHeapAfterIt() throws Exception {
		List<String> output;
		try (ChildJvm child = ChildJvm.start(List.of("-XX:+UseG1GC", "-Xmx256m", "-XX:MaxTenuringThreshold=0",
				"-XX:+ExplicitGCInvokesConcurrent", "-Xlog:gc"), G1MixedProgram.class)) {
			output = child.awaitExit(90);
		}
		assertThat(output).as(String.join("\n", output)).contains("KEPT 60000").doesNotContain("NOJFR");
		List<Long> logged = new ArrayList<>();
		List<Long> preparing = new ArrayList<>();
		List<Long> reported = new ArrayList<>();
		List<Long> fromNotifications = new ArrayList<>();
		List<long[]> concurrent = new ArrayList<>();
		for (String line : output) {
			Matcher pause = MIXED_PAUSE.matcher(line);
			Matcher prepare = PREPARE_MIXED_PAUSE.matcher(line);
			if (pause.find()) {
				logged.add(Long.parseLong(pause.group(1)));
			}
			else if (prepare.find()) {
				preparing.add(Long.parseLong(prepare.group(1)));
			}
			else if (line.startsWith("MIXED ")) {
				// -Xlog:gc rounds down to whole megabytes.
				reported.add(Long.parseLong(line.split(" ")[2]) / MB);
			}
			else if (line.startsWith("PHASEMIXED ")) {
				fromNotifications.add(Long.parseLong(line.split(" ")[1]) / MB);
			}
			else if (line.startsWith("CONCURRENT ")) {
				String[] fields = line.split(" ");
				concurrent.add(new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]),
						Long.parseLong(fields[3]) });
			}
		}
		String all = String.join("\n", output);
		assertThat(logged).as(all).isNotEmpty();
		assertThat(reported).as(all).isEqualTo(logged);
		if (Runtime.version().feature() >= 20) {
			// A mixed collection that promoted more than it evacuated may be missed, and the young pause that
			// prepares the phase taken for one when it freed regions the marking found empty; no other pause.
			// The pools' sum and -Xlog:gc's heap may fall on either side of a megabyte.
			assertThat(fromNotifications).as(all).isNotEmpty().allSatisfy((heapMb) -> assertThat(near(logged, heapMb)
					|| near(preparing, heapMb)).as("%d MB: a mixed pause's heap in -Xlog:gc\n%s", heapMb, all).isTrue());
			assertThat(fromNotifications.stream().anyMatch((heapMb) -> near(logged, heapMb))).as(all).isTrue();
			// Remark and Cleanup collect no young region: their heap leaves out the eden filled since the last
			// young pause, which the program's churn through each marking makes non-empty at least once.
			assertThat(concurrent).as(all)
				.isNotEmpty()
				.allSatisfy((pools) -> assertThat(pools[0]).as(all).isEqualTo(pools[1] - pools[2]))
				.anySatisfy((pools) -> assertThat(pools[2]).as(all).isPositive());
		}
		else {
			assertThat(fromNotifications).as(all).isEmpty();
			assertThat(concurrent).as(all).isEmpty();
		}
	}

	private static boolean near(List<Long> megabytes, long heapMb) {
		return megabytes.stream().anyMatch((logged) -> Math.abs(logged - heapMb) <= 1);
	}

}
