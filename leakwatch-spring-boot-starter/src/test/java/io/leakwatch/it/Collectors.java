package io.leakwatch.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HotSpot collectors to test on the running JDK, by name, with the options that select them. */
final class Collectors {

	private Collectors() {
	}

	static Map<String, List<String>> onThisJdk() throws Exception {
		int feature = Runtime.version().feature();
		Map<String, List<String>> candidates = new LinkedHashMap<>();
		candidates.put("G1", List.of("-XX:+UseG1GC"));
		candidates.put("Parallel", List.of("-XX:+UseParallelGC"));
		candidates.put("Serial", List.of("-XX:+UseSerialGC"));
		if (feature >= 21 && feature < 23) {
			candidates.put("ZGC (single generation)", List.of("-XX:+UseZGC", "-XX:-ZGenerational"));
			candidates.put("ZGC (generational)", List.of("-XX:+UseZGC", "-XX:+ZGenerational"));
		}
		else {
			candidates.put((feature >= 23) ? "ZGC (generational)" : "ZGC", List.of("-XX:+UseZGC"));
		}
		candidates.put("Shenandoah", List.of("-XX:+UseShenandoahGC"));
		if (feature >= 25) {
			candidates.put("Shenandoah (generational)", List.of("-XX:+UseShenandoahGC",
					"-XX:+UnlockExperimentalVMOptions", "-XX:ShenandoahGCMode=generational"));
		}
		Map<String, List<String>> supported = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> candidate : candidates.entrySet()) {
			if (ChildJvm.supports(candidate.getValue())) {
				supported.put(candidate.getKey(), candidate.getValue());
			}
		}
		return supported;
	}

	static List<String> options(List<String> collector, String... more) {
		List<String> options = new ArrayList<>(collector);
		options.addAll(List.of(more));
		return options;
	}

}
