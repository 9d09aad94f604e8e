package io.leakwatch.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.leakwatch.profile.ReferenceChain.GcRoot;
import io.leakwatch.profile.ReferenceChain.Link;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregation rules on samples shaped like JFR's: the site skips the JDK's frames, own samples come
 * before held ones, shares add up, and a class nothing describes says so.
 */
class SuspectAggregatorTests {

	private final SuspectAggregator aggregator = new SuspectAggregator(ProfilerSettings.JDK_PACKAGES);

	private static final Frame COPY_OF = Frame.of("java.util.Arrays", "copyOf", 3512);

	private static final Frame GROW = Frame.of("java.util.ArrayList", "grow", 237);

	private static final Frame REGISTER = Frame.of("a.Bus", "register", 12);

	private static final Frame MAIN = Frame.of("a.Main", "main", 5);

	private static final Frame REPLACE = Frame.of("a.Service", "replace", 40);

	@Test
	void siteIsTheFirstFrameOutsideTheJdkAndSitesAreRankedByCount() {
		List<Sample> samples = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			samples.add(sample("java.lang.Object[]", i, List.of(COPY_OF, GROW, REGISTER, MAIN), holderChain("java.lang.Object[]")));
		}
		samples.add(sample("java.lang.Object[]", 9, List.of(COPY_OF, GROW, REPLACE, MAIN), null));
		Suspect suspect = this.aggregator.suspect("java.lang.Object[]", samples, 5);
		assertThat(suspect.evidence()).isEqualTo(Suspect.Evidence.OWN_SAMPLES);
		assertThat(suspect.samples()).isEqualTo(4);
		assertThat(suspect.sites()).extracting(AllocationSite::frame).containsExactly(REGISTER, REPLACE);
		assertThat(suspect.sites()).extracting(AllocationSite::samples).containsExactly(3, 1);
		assertThat(suspect.sites().get(0).share()).isEqualTo(0.75);
		assertThat(suspect.sites().get(0).stack()).containsExactly(COPY_OF, GROW, REGISTER, MAIN);
		assertThat(suspect.maxAge()).isEqualTo(Duration.ofSeconds(9));
		assertThat(suspect.medianAge()).isEqualTo(Duration.ofSeconds(2));
		assertThat(suspect.chain()).isNotNull();
		assertThat(suspect.oneLine()).isEqualTo("java.lang.Object[] allocated at Bus.register(Bus.java:12), held by "
				+ "Bus.LISTENERS → ArrayList.elementData → Object[] (3 of 4 samples, oldest 9.0 s)");
		assertThat(this.aggregator.suspect("java.lang.Object[]", samples, 1).sites()).hasSize(1);
	}

	@Test
	void sitesComeFromTheSamplesWithAStackTraceWhenOnlySomeHaveOne() {
		List<Sample> samples = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			samples.add(sample("java.lang.Object[]", 20 + i, List.of(), holderChain("java.lang.Object[]")));
		}
		samples.add(sample("java.lang.Object[]", 1, List.of(COPY_OF, GROW, REGISTER, MAIN), holderChain("java.lang.Object[]")));
		samples.add(sample("java.lang.Object[]", 2, List.of(COPY_OF, GROW, REGISTER, MAIN), holderChain("java.lang.Object[]")));
		Suspect suspect = this.aggregator.suspect("java.lang.Object[]", samples, 5);
		assertThat(suspect.samples()).isEqualTo(7);
		assertThat(suspect.sites()).extracting(AllocationSite::frame).containsExactly(REGISTER);
		assertThat(suspect.sites().get(0).samples()).isEqualTo(2);
		assertThat(suspect.sites().get(0).share()).isEqualTo(1.0);
		assertThat(suspect.maxAge()).isEqualTo(Duration.ofSeconds(24));
		// Without any stack trace, the one site says so.
		Suspect unlocated = this.aggregator.suspect("java.lang.Object[]", samples.subList(0, 5), 5);
		assertThat(unlocated.sites()).extracting(AllocationSite::frame).containsExactly(Frame.NO_STACK_TRACE);
		assertThat(unlocated.oneLine()).startsWith(
				"java.lang.Object[] (allocation site unknown: sampled without a stack trace), held by Bus.LISTENERS");
	}

	@Test
	void classWithoutOwnSamplesIsDescribedByTheSamplesHeldThroughIt() {
		ReferenceChain chain = new ReferenceChain(new GcRoot("Threads", null, null),
				List.of(new Link("a.Service", "theThing", false, -1, 0), new Link("a.Thing", "payload", false, -1, 0)),
				"byte[]");
		List<Sample> samples = List.of(sample("byte[]", 1, List.of(REPLACE), chain),
				sample("byte[]", 2, List.of(REPLACE), chain), sample("java.lang.String", 1, List.of(MAIN), null));
		Suspect suspect = this.aggregator.suspect("a.Thing", samples, 3);
		assertThat(suspect.evidence()).isEqualTo(Suspect.Evidence.HELD_SAMPLES);
		assertThat(suspect.sampledClass()).isEqualTo("byte[]");
		assertThat(suspect.samples()).isEqualTo(2);
		assertThat(suspect.oneLine()).startsWith("a.Thing holds byte[] allocated at Service.replace(Service.java:40), "
				+ "held by Service.theThing → Thing.payload → byte[] (2 of 2 samples");
	}

	@Test
	void classNothingDescribesSaysSo() {
		Suspect suspect = this.aggregator.suspect("a.Other", List.of(sample("byte[]", 1, List.of(REPLACE), null)), 3);
		assertThat(suspect.sampled()).isFalse();
		assertThat(suspect.sites()).isEmpty();
		assertThat(suspect.oneLine()).startsWith("a.Other: no sample (none of the 1 surviving samples");
	}

	@Test
	void noSampleAtAllSaysWhenJfrEmitsThem() {
		assertThat(this.aggregator.suspect("a.Thing", List.of(), 3).note())
			.isEqualTo(SuspectAggregator.NO_SAMPLE_EMITTED);
	}

	@Test
	void stackOfJdkFramesOnlyUsesTheTopFrame() {
		Suspect suspect = this.aggregator.suspect("byte[]", List.of(sample("byte[]", 1, List.of(COPY_OF, GROW), null)), 3);
		assertThat(suspect.sites().get(0).frame()).isEqualTo(COPY_OF);
		assertThat(suspect.oneLine()).contains(", no path to a GC root found");
	}

	private static ReferenceChain holderChain(String target) {
		return new ReferenceChain(new GcRoot("Threads", null, null),
				List.of(new Link("a.Bus", "LISTENERS", true, -1, 0), new Link("java.util.ArrayList", "elementData", false, -1, 0)),
				target);
	}

	private static Sample sample(String className, long ageSeconds, List<Frame> stack, ReferenceChain chain) {
		return new Sample(className, Duration.ofSeconds(ageSeconds), stack, chain);
	}

}
