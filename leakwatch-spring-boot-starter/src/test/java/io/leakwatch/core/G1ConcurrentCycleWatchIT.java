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
 * {@code -Xlog:gc}, and the two accounts are compared pause by pause.
 */
class G1ConcurrentCycleWatchIT {

	private static final Pattern MIXED_PAUSE = Pattern.compile("Pause Young \\(Mixed\\).* \\d+M->(\\d+)M\\(");

	@Test
	void reportsEachMixedCollectionWithTheHeapAfterIt() throws Exception {
		List<String> output;
		try (ChildJvm child = ChildJvm.start(List.of("-XX:+UseG1GC", "-Xmx256m", "-XX:MaxTenuringThreshold=0",
				"-XX:+ExplicitGCInvokesConcurrent", "-Xlog:gc"), G1MixedProgram.class)) {
			output = child.awaitExit(90);
		}
		assertThat(output).as(String.join("\n", output)).contains("KEPT 60000").doesNotContain("NOJFR");
		List<Long> logged = new ArrayList<>();
		List<Long> reported = new ArrayList<>();
		for (String line : output) {
			Matcher pause = MIXED_PAUSE.matcher(line);
			if (pause.find()) {
				logged.add(Long.parseLong(pause.group(1)));
			}
			else if (line.startsWith("MIXED ")) {
				// -Xlog:gc rounds down to whole megabytes.
				reported.add(Long.parseLong(line.split(" ")[2]) / (1024 * 1024));
			}
		}
		assertThat(logged).as(String.join("\n", output)).isNotEmpty();
		assertThat(reported).as(String.join("\n", output)).isEqualTo(logged);
	}

}
