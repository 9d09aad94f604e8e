package io.leakwatch.profile;

import java.util.List;
import java.util.Objects;

/**
 * Where surviving sampled objects were allocated: the first frame of their allocation stacks that names
 * the allocating code, with the frames above it (how it allocated) and a few below (who called it).
 *
 * @param frame the site: the first frame from the top of the stack outside the skipped packages (the
 * JDK's, by default), or the top frame when every frame is skipped
 * @param stack the top of one sample's stack, from the allocating frame down to two callers of the site
 * @param samples how many surviving samples were allocated at this site
 * @param share those samples' share of the suspect's samples that recorded a stack trace (all of them,
 * unless an always-on profiler sampled part of them without), in [0..1]
 */
public record AllocationSite(Frame frame, List<Frame> stack, int samples, double share) {

	public AllocationSite {
		Objects.requireNonNull(frame, "frame");
		stack = List.copyOf(stack);
	}

}
