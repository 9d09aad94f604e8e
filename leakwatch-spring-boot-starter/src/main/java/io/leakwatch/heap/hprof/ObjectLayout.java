package io.leakwatch.heap.hprof;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * How a HotSpot JVM lays out objects (header, reference and alignment sizes), because an {@code .hprof}
 * file records field types and array lengths but not the bytes the objects take: shallow sizes are
 * recomputed here the way HotSpot's field layout (JDK 15+) computes them.
 *
 * <p>
 * Instance sizes replay HotSpot's {@code FieldLayoutBuilder}: inherited fields keep their offsets, the
 * class's own primitive fields (largest first) then references go into the smallest gap that fits, else
 * at the end, and the object is padded to the alignment. This is exact for classes whose fields the
 * dump lists in full. The few JDK classes with fields HotSpot injects and the dump omits
 * ({@code ClassLoader}, {@code Module}, {@code MemberName}, {@code ResolvedMethodName}) and
 * {@code Thread}'s {@code @Contended} fields (padded by the default 128 bytes) are corrected by name in
 * {@link HprofHistogram}; other {@code @Contended} fields (only in JDK classes unless
 * {@code -XX:-RestrictContended}) are not. {@code java.lang.Class} instances are an estimate: the
 * dump lists two static fields that are not in the mirror ({@code <resolved_references>},
 * {@code <init_lock>}), counted here as if they were.
 *
 * @param compressedOops whether references take 4 bytes ({@code -XX:+UseCompressedOops}) rather than 8
 * @param compressedClassPointers whether the class pointer in the header takes 4 bytes rather than 8
 * @param compactHeaders whether the header is one 8-byte word ({@code -XX:+UseCompactObjectHeaders},
 * JDK 24+); implies compressed class pointers
 * @param alignment {@code -XX:ObjectAlignmentInBytes}, a power of two from 8 to 256
 */
public record ObjectLayout(boolean compressedOops, boolean compressedClassPointers, boolean compactHeaders,
		int alignment) {

	/** Basic type codes of the hprof format, with the sizes HotSpot gives them. */
	static final int OBJECT = 2, BOOLEAN = 4, CHAR = 5, FLOAT = 6, DOUBLE = 7, BYTE = 8, SHORT = 9, INT = 10,
			LONG = 11;

	/**
	 * Whether array elements start right after the length field rather than at the next 8 bytes
	 * (JDK 22+, JDK-8139457). It only matters without compressed class pointers, and the dump does not
	 * say which JDK wrote it, so this assumes the dumping JVM's version is the parsing JVM's, which holds
	 * for dumps the application takes of itself.
	 */
	private static final boolean PACKED_ARRAY_BASE = Runtime.version().feature() >= 22;

	public ObjectLayout {
		if (alignment < 8 || alignment > 256 || Integer.bitCount(alignment) != 1) {
			throw new IllegalArgumentException("alignment must be a power of two from 8 to 256, not " + alignment);
		}
		if (compactHeaders && !compressedClassPointers) {
			throw new IllegalArgumentException("compact object headers imply compressed class pointers");
		}
	}

	/**
	 * The layout of this JVM, read from its VM options; HotSpot's defaults for a heap under 32 GB when
	 * an option cannot be read.
	 * @return this JVM's object layout
	 */
	public static ObjectLayout current() {
		HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		boolean oops = flag(bean, "UseCompressedOops", "true").equals("true");
		boolean classPointers = flag(bean, "UseCompressedClassPointers", "true").equals("true");
		// Absent before JDK 24 (JEP 450), where headers could not be compact.
		boolean compact = flag(bean, "UseCompactObjectHeaders", "false").equals("true");
		int alignment = Integer.parseInt(flag(bean, "ObjectAlignmentInBytes", "8"));
		return new ObjectLayout(oops, classPointers || compact, compact, alignment);
	}

	private static String flag(HotSpotDiagnosticMXBean bean, String name, String fallback) {
		if (bean == null) {
			return fallback;
		}
		try {
			VMOption option = bean.getVMOption(name);
			return option.getValue();
		}
		catch (IllegalArgumentException ex) {
			return fallback;
		}
	}

	/** Bytes of a reference field or object array element. */
	public int referenceSize() {
		return this.compressedOops ? 4 : 8;
	}

	/** Offset of the first instance field: the mark word plus the class pointer. */
	public int instanceHeaderSize() {
		if (this.compactHeaders) {
			return 8;
		}
		return this.compressedClassPointers ? 12 : 16;
	}

	/**
	 * Bytes of an array: header, length, elements, padding.
	 * @param elementSize bytes per element (1, 2, 4 or 8)
	 * @param length number of elements
	 * @return the array's shallow size
	 */
	public long arraySize(int elementSize, long length) {
		return align(arrayBase(elementSize) + elementSize * length, this.alignment);
	}

	/** Offset of the first element: the header, the length, and padding for 8-byte elements. */
	int arrayBase(int elementSize) {
		int lengthOffset = this.compactHeaders ? 8 : (this.compressedClassPointers ? 12 : 16);
		int base = lengthOffset + 4;
		boolean wideElements = elementSize == 8;
		if (wideElements || !(PACKED_ARRAY_BASE || this.compactHeaders)) {
			base = (int) align(base, 8);
		}
		return base;
	}

	/**
	 * Bytes of an object array.
	 * @param length number of elements
	 * @return the array's shallow size
	 */
	public long objectArraySize(long length) {
		return arraySize(referenceSize(), length);
	}

	/**
	 * Bytes of a primitive array.
	 * @param type the hprof basic type code of the elements
	 * @param length number of elements
	 * @return the array's shallow size
	 */
	public long primitiveArraySize(int type, long length) {
		return arraySize(fieldSize(type), length);
	}

	/**
	 * Bytes HotSpot gives a field of this hprof basic type in an object.
	 * @param type the hprof basic type code
	 * @return 1, 2, 4 or 8; 0 for an unknown code
	 */
	public int fieldSize(int type) {
		switch (type) {
			case OBJECT: return referenceSize();
			case BOOLEAN, BYTE: return 1;
			case CHAR, SHORT: return 2;
			case FLOAT, INT: return 4;
			case DOUBLE, LONG: return 8;
			default: return 0;
		}
	}

	/**
	 * The size of an object that only has the header (such as {@code new Object()}).
	 * @return the size of a field-less instance
	 */
	public long emptyInstanceSize() {
		return align(instanceHeaderSize(), this.alignment);
	}

	/**
	 * The fields of one class laid out after its superclass's, as HotSpot's {@code FieldLayoutBuilder}
	 * does; the result keeps every field's offset so that subclasses can fill the gaps it leaves.
	 * @param superLayout the superclass's layout, or {@code null} for {@code java.lang.Object}
	 * @param primitiveSizes the sizes in bytes of the class's own primitive instance fields
	 * @param references how many reference instance fields the class declares
	 * @return the layout
	 */
	FieldLayout layout(FieldLayout superLayout, int[] primitiveSizes, int references) {
		return FieldLayout.of(instanceHeaderSize(), superLayout, primitiveSizes, references, referenceSize());
	}

	/**
	 * The instance size for a layout.
	 * @param layout a class's field layout
	 * @return its instances' shallow size
	 */
	long instanceSize(FieldLayout layout) {
		// HotSpot rounds the end of the fields to a heap word, then to the object alignment.
		return align(align(layout.end(), 8), this.alignment);
	}

	static long align(long value, int alignment) {
		return (value + alignment - 1) & -alignment;
	}

	/**
	 * Field offsets of one class including inherited ones, as occupied byte ranges sorted by offset,
	 * the header first.
	 *
	 * @param starts offsets of occupied ranges
	 * @param sizes their sizes
	 */
	record FieldLayout(int[] starts, int[] sizes) {

		/** Offset just past the last field; the first range is always the header. */
		int end() {
			int n = this.starts.length;
			return this.starts[n - 1] + this.sizes[n - 1];
		}

		/**
		 * Replays {@code FieldLayout::add} from HotSpot's fieldLayoutBuilder.cpp: best-fit over the empty
		 * blocks between the header and the end, primitives by decreasing size then references.
		 */
		static FieldLayout of(int header, FieldLayout superLayout, int[] primitiveSizes, int references,
				int referenceSize) {
			// Blocks in offset order: the header, then the inherited fields with the gaps between them
			// as empty blocks, then an unbounded empty block.
			List<int[]> blocks = new ArrayList<>(); // {offset, size, empty ? 1 : 0}
			blocks.add(new int[] { 0, header, 0 });
			int cursor = header;
			if (superLayout != null) {
				for (int i = 0; i < superLayout.starts.length; i++) {
					int start = superLayout.starts[i];
					if (start < header) {
						// The header, or a range from it that must stay whole (a padded @Contended class).
						cursor = Math.max(cursor, start + superLayout.sizes[i]);
						blocks.get(0)[1] = cursor;
						continue;
					}
					if (start > cursor) {
						blocks.add(new int[] { cursor, start - cursor, 1 });
					}
					blocks.add(new int[] { start, superLayout.sizes[i], 0 });
					cursor = start + superLayout.sizes[i];
				}
			}
			blocks.add(new int[] { cursor, Integer.MAX_VALUE, 1 });
			int[] sorted = primitiveSizes.clone();
			java.util.Arrays.sort(sorted);
			int count = sorted.length + references;
			int lastSize = 0;
			boolean lastSearchSucceeded = false;
			for (int f = 0; f < count; f++) {
				int size = (f < sorted.length) ? sorted[sorted.length - 1 - f] : referenceSize;
				int candidate = -1;
				int last = blocks.size() - 1;
				if (size == lastSize && !lastSearchSucceeded) {
					candidate = last;
				}
				else {
					lastSize = size;
					lastSearchSucceeded = true;
					// From the block before the last down to, not including, the first (the header).
					for (int b = last - 1; b > 0; b--) {
						int[] block = blocks.get(b);
						if (block[2] == 1 && fits(block, size)) {
							if (candidate == -1 || block[1] < blocks.get(candidate)[1]) {
								candidate = b;
							}
						}
					}
					if (candidate == -1) {
						candidate = last;
						lastSearchSucceeded = false;
					}
				}
				insert(blocks, candidate, size);
			}
			int used = 0;
			for (int[] block : blocks) {
				if (block[2] == 0) {
					used++;
				}
			}
			int[] starts = new int[used];
			int[] sizes = new int[used];
			int i = 0;
			for (int[] block : blocks) {
				if (block[2] == 0) {
					starts[i] = block[0];
					sizes[i] = block[1];
					i++;
				}
			}
			return new FieldLayout(starts, sizes);
		}

		private static boolean fits(int[] block, int size) {
			int misalignment = block[0] % size;
			int adjustment = (misalignment != 0) ? size - misalignment : 0;
			return (long) block[1] >= size + adjustment;
		}

		/** {@code insert_field_block}: alignment padding stays an empty block before the field. */
		private static void insert(List<int[]> blocks, int slot, int size) {
			int[] empty = blocks.get(slot);
			int misalignment = empty[0] % size;
			if (misalignment != 0) {
				int adjustment = size - misalignment;
				blocks.add(slot, new int[] { empty[0], adjustment, 1 });
				slot++;
				empty[0] += adjustment;
				if (empty[1] != Integer.MAX_VALUE) {
					empty[1] -= adjustment;
				}
			}
			blocks.add(slot, new int[] { empty[0], size, 0 });
			empty[0] += size;
			if (empty[1] != Integer.MAX_VALUE) {
				empty[1] -= size;
				if (empty[1] == 0) {
					blocks.remove(slot + 1);
				}
			}
		}

	}

}
