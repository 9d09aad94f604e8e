package io.leakwatch.profile;

import java.time.Duration;
import java.util.List;

/**
 * One surviving {@code jdk.OldObjectSample}, read into plain values so aggregation needs no JFR types and
 * can be tested without a recording.
 *
 * @param className the sampled object's class as Java source spells it
 * @param age how long the object had lived when the sample was emitted
 * @param stack the allocation stack, top frame first; empty when JFR recorded none
 * @param chain the path from a GC root, or {@code null} when JFR searched none or found none
 */
record Sample(String className, Duration age, List<Frame> stack, ReferenceChain chain) {

	Sample {
		stack = List.copyOf(stack);
	}

}
