package io.leakwatch.heap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A class histogram kept in five objects whatever its row count: the baseline an open diff holds is
 * itself live when the second histogram is taken, and as one {@code Row}, {@code String} and
 * {@code byte[]} per class it would show up in the diff as thousands of new objects.
 */
final class PackedHistogram {

	private final byte[] names;

	private final int[] ends;

	private final long[] instances;

	private final long[] bytes;

	private final long timestampMillis;

	private PackedHistogram(byte[] names, int[] ends, long[] instances, long[] bytes, long timestampMillis) {
		this.names = names;
		this.ends = ends;
		this.instances = instances;
		this.bytes = bytes;
		this.timestampMillis = timestampMillis;
	}

	/**
	 * Packs a histogram.
	 * @param histogram the histogram
	 * @return its packed form
	 */
	static PackedHistogram pack(ClassHistogram histogram) {
		List<ClassHistogram.Row> rows = histogram.rows();
		StringBuilder text = new StringBuilder(rows.size() * 40);
		int[] ends = new int[rows.size()];
		long[] instances = new long[rows.size()];
		long[] bytes = new long[rows.size()];
		for (int i = 0; i < rows.size(); i++) {
			ClassHistogram.Row row = rows.get(i);
			// NUL separates the loader, which no class or loader name contains.
			text.append(row.className()).append('\0');
			if (row.loader() != null) {
				text.append(row.loader());
			}
			ends[i] = text.length();
			instances[i] = row.instances();
			bytes[i] = row.bytes();
		}
		// UTF-16 keeps the char offsets in ends valid for any class name.
		byte[] names = text.toString().getBytes(StandardCharsets.UTF_16BE);
		return new PackedHistogram(names, ends, instances, bytes, histogram.timestampMillis());
	}

	/** The histogram again. */
	ClassHistogram unpack() {
		String text = new String(this.names, StandardCharsets.UTF_16BE);
		List<ClassHistogram.Row> rows = new ArrayList<>(this.ends.length);
		int start = 0;
		for (int i = 0; i < this.ends.length; i++) {
			String entry = text.substring(start, this.ends[i]);
			int separator = entry.indexOf('\0');
			String loader = entry.substring(separator + 1);
			rows.add(new ClassHistogram.Row(entry.substring(0, separator), loader.isEmpty() ? null : loader,
					this.instances[i], this.bytes[i]));
			start = this.ends[i];
		}
		return new ClassHistogram(rows, this.timestampMillis);
	}

}
