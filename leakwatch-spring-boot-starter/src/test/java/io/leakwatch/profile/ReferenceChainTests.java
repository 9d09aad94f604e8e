package io.leakwatch.profile;

import java.util.ArrayList;
import java.util.List;

import io.leakwatch.profile.ReferenceChain.GcRoot;
import io.leakwatch.profile.ReferenceChain.Link;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How chains read: repeats folded, JFR's gaps shown, and the holder a developer acts on picked out of
 * chains shaped like the ones JFR returned for the seed's leak, a listener list and a Spring bean.
 */
class ReferenceChainTests {

	private static final GcRoot ROOT = new GcRoot("Threads", "Stack Variable", "Thread Name: main");

	@Test
	void seedChainIsFoldedAndHeldByTheStaticField() {
		List<Link> links = new ArrayList<>();
		links.add(field("a.Program", "head", true));
		for (int i = 0; i < 98; i++) {
			links.add(field("a.Program$Node", "previous", false));
		}
		links.add(new Link("a.Program$Node", null, false, -1, 4825));
		for (int i = 0; i < 3; i++) {
			links.add(field("a.Program$Node", "previous", false));
		}
		links.add(field("a.Program$Node", "payload", false));
		ReferenceChain chain = new ReferenceChain(ROOT, links, "long[]");
		assertThat(chain).hasToString("[Threads, Stack Variable, Thread Name: main] → Program.head → "
				+ "(Program$Node.previous) × 98 → … 4825 more … → (Program$Node.previous) × 3 → Program$Node.payload → long[]");
		assertThat(chain.heldBy()).isEqualTo(
				"Program.head → (Program$Node.previous) × 98 → … 4825 more … → (Program$Node.previous) × 3 → "
						+ "Program$Node.payload → long[]");
		assertThat(chain.passesThrough("a.Program$Node", "previous")).isTrue();
		assertThat(chain.passesThrough("a.Program$Other")).isFalse();
	}

	@Test
	void listenerListIsHeldByTheFieldHoldingTheList() {
		ReferenceChain chain = new ReferenceChain(ROOT,
				List.of(field("a.Bus", "LISTENERS", true), field("java.util.ArrayList", "elementData", false),
						new Link("java.lang.Object[]", null, false, 17, 0), field("a.Bus$Listener", "buffer", false)),
				"byte[]");
		assertThat(chain.heldBy()).isEqualTo("Bus.LISTENERS → ArrayList.elementData[17] → Bus$Listener.buffer → byte[]");
	}

	@Test
	void springBeanChainStartsAtTheBeansFieldBeforeTheRepeatingPart() {
		List<Link> links = new ArrayList<>();
		links.add(field("jdk.internal.loader.ClassLoaders$AppClassLoader", "classes", false));
		links.add(field("org.springframework.beans.factory.support.DefaultListableBeanFactory", "singletonObjects",
				false));
		links.add(field("java.util.concurrent.ConcurrentHashMap", "table", false));
		links.add(new Link("java.util.concurrent.ConcurrentHashMap$Node[]", null, false, 5, 0));
		links.add(field("java.util.concurrent.ConcurrentHashMap$Node", "next", false));
		links.add(field("java.util.concurrent.ConcurrentHashMap$Node", "next", false));
		links.add(field("java.util.concurrent.ConcurrentHashMap$Node", "next", false));
		links.add(field("java.util.concurrent.ConcurrentHashMap$Node", "val", false));
		links.add(field("a.LeakyService", "theThing", false));
		for (int i = 0; i < 40; i++) {
			links.add(field("a.LeakyThing", "someMethod", false));
			links.add(field("a.LeakyService$$Lambda$65/0x0000000800c0b448", "arg$1", false));
		}
		links.add(new Link("a.LeakyThing", null, false, -1, 300));
		links.add(field("a.LeakyThing", "longStr", false));
		links.add(field("java.lang.String", "value", false));
		ReferenceChain chain = new ReferenceChain(ROOT, links, "byte[]");
		assertThat(chain.heldBy()).isEqualTo("… → LeakyService.theThing → (LeakyThing.someMethod → "
				+ "LeakyService$$Lambda.arg$1) × 40 → … 300 more … → LeakyThing.longStr → String.value → byte[]");
	}

	@Test
	void chainWithoutJdkLinksStartsAtItsFirstLink() {
		ReferenceChain chain = new ReferenceChain(null,
				List.of(field("a.Holder", "INSTANCE", true), field("a.Holder", "data", false)), "a.Data");
		assertThat(chain.heldBy()).isEqualTo("Holder.INSTANCE → Holder.data → Data");
		assertThat(chain).hasToString("Holder.INSTANCE → Holder.data → Data");
	}

	@Test
	void hiddenClassNamesFromJfrReadLikeTheJvms() {
		assertThat(JfrSampler.hiddenToBinary("a.B$$Lambda$65+0x00007f8f60000a08.592959754"))
			.isEqualTo("a.B$$Lambda$65/0x00007f8f60000a08");
		assertThat(JfrSampler.hiddenToBinary("a.B$$Lambda.0x0000000025040210")).isEqualTo("a.B$$Lambda/0x0000000025040210");
		assertThat(JfrSampler.hiddenToBinary("a.B$Inner")).isEqualTo("a.B$Inner");
		assertThat(Frame.simpleName("a.B$$Lambda$65/0x00007f8f60000a08")).isEqualTo("B$$Lambda");
		assertThat(Frame.fileOf("a.B$$Lambda/0x0000000025040210")).isEqualTo("B.java");
		assertThat(Frame.of("a.b.Outer$Inner", "run", 42)).hasToString("Outer$Inner.run(Outer.java:42)");
	}

	private static Link field(String holder, String field, boolean isStatic) {
		return new Link(holder, field, isStatic, -1, 0);
	}

}
