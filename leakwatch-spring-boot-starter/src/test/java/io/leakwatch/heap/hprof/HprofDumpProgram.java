package io.leakwatch.heap.hprof;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Runs in a child JVM: allocates known numbers of test objects, dumps its own live heap, and prints
 * the JVM's class histogram taken right after, so the test can hold the parser against HotSpot's own
 * counts and sizes for the same heap.
 */
public final class HprofDumpProgram {

	/** Fields of every size in declaration order HotSpot reorders, so the layout leaves and fills gaps. */
	static class Thing {

		byte b;

		long l;

		Object o;

		short s;

		int i;

		boolean z;

	}

	/** Fields that HotSpot can put in the gaps its superclass left. */
	static final class SubThing extends Thing {

		char c;

		byte b2;

		Object o2;

		double d;

		float f;

	}

	private HprofDumpProgram() {
	}

	public static void main(String[] args) throws Exception {
		String dump = args[0];
		int things = Integer.parseInt(args[1]);
		int subThings = Integer.parseInt(args[2]);
		int arrays = Integer.parseInt(args[3]);
		List<Object> keep = new ArrayList<>();
		for (int n = 0; n < things; n++) {
			keep.add(new Thing());
		}
		for (int n = 0; n < subThings; n++) {
			keep.add(new SubThing());
		}
		for (int n = 0; n < arrays; n++) {
			keep.add(new Thing[n % 17]);
		}
		// The same class in two loaders of one class: two rows whose loader labels must differ.
		URL classes = IsolatedThing.class.getProtectionDomain().getCodeSource().getLocation();
		URLClassLoader first = new URLClassLoader(new URL[] { classes }, null);
		URLClassLoader second = new URLClassLoader(new URL[] { classes }, null);
		Class<?> firstClass = first.loadClass(IsolatedThing.class.getName());
		Class<?> secondClass = second.loadClass(IsolatedThing.class.getName());
		for (int n = 0; n < 100; n++) {
			keep.add(firstClass.getDeclaredConstructor().newInstance());
		}
		for (int n = 0; n < 200; n++) {
			keep.add(secondClass.getDeclaredConstructor().newInstance());
		}
		ObjectLayout layout = ObjectLayout.current();
		// Load everything the dump and the histogram use before either, so both see the same classes.
		ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		ManagementFactory.getPlatformMBeanServer().invoke(diagnostics, "gcClassHistogram",
				new Object[] { new String[0] }, new String[] { String[].class.getName() });
		hotspot.dumpHeap(dump, true);
		String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(diagnostics,
				"gcClassHistogram", new Object[] { new String[0] }, new String[] { String[].class.getName() });
		Reference.reachabilityFence(keep);
		Reference.reachabilityFence(first);
		Reference.reachabilityFence(second);
		System.out.println("LAYOUT " + layout.compressedOops() + " " + layout.compressedClassPointers() + " "
				+ layout.compactHeaders() + " " + layout.alignment());
		System.out.println("HISTOGRAM");
		System.out.println(histogram);
		System.out.println("DONE");
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

}
