package io.leakwatch.heap;

import java.util.List;
import java.util.Objects;

/**
 * Live instances and shallow bytes per class at one moment: what both kinds of snapshot (the JVM's
 * class histogram and a parsed {@code .hprof} dump) reduce a heap to. It is one row per class, so a
 * baseline kept between the start and the end of a diff costs kilobytes, not a heap.
 *
 * @param rows one row per class; same-named classes from different class loaders are separate rows
 * @param timestampMillis when the snapshot was taken (epoch milliseconds)
 */
public record ClassHistogram(List<Row> rows, long timestampMillis) {

	public ClassHistogram {
		rows = List.copyOf(rows);
	}

	/** Total live instances. */
	public long totalInstances() {
		long total = 0;
		for (Row row : rows) {
			total += row.instances();
		}
		return total;
	}

	/** Total shallow bytes. */
	public long totalBytes() {
		long total = 0;
		for (Row row : rows) {
			total += row.bytes();
		}
		return total;
	}

	/**
	 * One class.
	 *
	 * @param className the class's name as Java source spells it ({@code java.lang.String},
	 * {@code byte[]}, {@code java.lang.Object[][]}, {@code a.b.Outer$Inner})
	 * @param loader what tells same-named classes apart: {@code null} for the boot loader or when the
	 * snapshot cannot tell, otherwise a label that is stable between two snapshots of one JVM (such as
	 * the loader's class name); object addresses are not stable, since the collector moves objects
	 * @param instances live instances
	 * @param bytes their shallow size in bytes
	 */
	public record Row(String className, String loader, long instances, long bytes) {

		public Row {
			Objects.requireNonNull(className, "className");
		}

		/** The name shown to users: the class name, with the loader in brackets when there is one. */
		public String what() {
			return (loader != null) ? className + " (" + loader + ")" : className;
		}

	}

}
