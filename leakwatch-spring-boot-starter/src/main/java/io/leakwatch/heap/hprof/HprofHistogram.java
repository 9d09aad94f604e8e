package io.leakwatch.heap.hprof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.leakwatch.heap.ClassHistogram;
import io.leakwatch.heap.ClassNames;

/**
 * Reduces an {@code .hprof} heap dump to a class histogram in one pass over the file, with memory that
 * grows with the number of classes and strings in the dump, never with the number of objects, so that
 * an application can diff dumps of its own heap without holding one in memory.
 *
 * <p>
 * It reads {@code JAVA PROFILE 1.0.1}, {@code 1.0.2} and {@code 1.0.3} files with 4- or 8-byte ids,
 * whole ({@code HEAP DUMP}) or segmented ({@code HEAP DUMP SEGMENT} ... {@code HEAP DUMP END}) heap
 * dumps, every standard sub-record and the Android ones; top-level records it does not need are skipped
 * by their length. The file is read through 256 KB buffers and decoded by hand; in a file of 64 MB or
 * more, the heap dump segments after the class dumps are decoded on two threads, each with its own
 * buffer and per-class counters.
 *
 * <p>
 * Rows: one per class that has instances; object arrays under their array class ({@code Foo[]}),
 * primitive arrays under their type ({@code byte[]}); {@code java.lang.Class} counts one instance per
 * class in the dump, its size an estimate (see {@link ObjectLayout}). The loader of a class is
 * {@code null} for the boot loader, otherwise the class name of the loader object. When several loader
 * objects of one class define classes, their labels get {@code #1}, {@code #2}, ... in the order of the
 * alphabetically first class each defines, then of how many classes each defines, then of how many
 * instances those classes have, then of the loader's position in the dump: the numbering is stable
 * between two dumps of one JVM as long as those loaders define different classes; loaders defining the
 * same classes are told apart within one dump but may swap numbers between dumps.
 */
public final class HprofHistogram {

	private HprofHistogram() {
	}

	/**
	 * Reads a heap dump.
	 * @param file an {@code .hprof} file
	 * @param layout how the JVM that wrote the dump laid objects out (for the sizes)
	 * @return one row per class, with the dump's timestamp
	 * @throws HprofFormatException if the file is empty, truncated, corrupt or of an unsupported version
	 * @throws IOException if the file cannot be read
	 */
	public static ClassHistogram read(Path file, ObjectLayout layout) throws IOException {
		return read(file, layout, PARALLEL_FROM);
	}

	/**
	 * Files at least this large have their heap dump segments decoded on two threads: below it, starting
	 * a thread costs more than it saves (tests pass 0 to check that both ways give the same rows).
	 */
	static final long PARALLEL_FROM = 64L << 20;

	static ClassHistogram read(Path file, ObjectLayout layout, long parallelFrom) throws IOException {
		return read(file, layout, parallelFrom, false);
	}

	/**
	 * Reads a heap dump; with {@code strict}, a parallel read that would start again on one thread fails
	 * instead, so that tests see the parallel decoding itself give their rows.
	 */
	static ClassHistogram read(Path file, ObjectLayout layout, long parallelFrom, boolean strict) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			boolean parallel = channel.size() >= parallelFrom && Runtime.getRuntime().availableProcessors() > 1;
			if (parallel) {
				try {
					return new Parser(channel, layout, true).parse();
				}
				catch (java.io.InterruptedIOException ex) {
					throw ex;
				}
				catch (IOException | RuntimeException ex) {
					if (strict) {
						throw new IllegalStateException("The parallel read fell back to one thread", ex);
					}
					// A file the parallel decoding does not take as it is (class dumps after the first
					// segments, a corrupt record...): read it again on one thread, which gives the exact
					// error, at the exact offset, the sequential order finds first.
				}
			}
			return new Parser(channel, layout, false).parse();
		}
	}

	/** Thrown where the parallel decoding would depend on the order of the segments: read sequentially. */
	private static final class Fallback extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Fallback() {
			super(null, null, false, false);
		}

	}

	/**
	 * Limits that keep a hostile file from making the parser allocate without bound: at most about
	 * 100 MB for a million classes, 150 MB for four million strings, plus the 64 MB of string bytes
	 * kept; real dumps have far fewer (a large service: tens of thousands of classes).
	 */
	static final int MAX_CLASSES = 1 << 20;

	static final int MAX_STRINGS = 1 << 22;

	static final int MAX_NAME_BYTES = 1 << 16;

	static final long MAX_STRING_BYTES = 64L << 20;

	private static final class Parser {

		/**
		 * Small enough to stay in the CPU's L2 cache while it is decoded, large enough that the read
		 * system calls cost nothing; memory-mapping the file measured slower here: touching one byte per
		 * page of the mapped 1.1 GB dump took 0.5 s (0.4 s on two threads), against 0.1 s to read it all.
		 */
		static final int BUFFER = 256 << 10;

		/**
		 * Bytes past the filled part of the buffer that the hot loop may read (a record's fixed part at
		 * the end of a segment), so that it never indexes past the buffer's capacity.
		 */
		static final int SLACK = 64;

		private static final int WORKERS = 2;

		private static final int UTF8 = 0x01, LOAD_CLASS = 0x02, HEAP_DUMP = 0x0C, HEAP_DUMP_SEGMENT = 0x1C,
				HEAP_DUMP_END = 0x2C;

		private static final int CLASS_DUMP = 0x20, INSTANCE_DUMP = 0x21, OBJ_ARRAY_DUMP = 0x22,
				PRIM_ARRAY_DUMP = 0x23;

		private final FileChannel channel;

		private final ObjectLayout layout;

		private final long fileSize;

		private final ByteBuffer buffer;

		/** Reads stop here: the file's end, or for a worker the end of its segment. */
		private long readLimit;

		/** Whether segments go to workers once the class dumps are read; for a worker, false. */
		private final boolean parallel;

		/** For a worker: the segment being decoded, and where each loader was first found, by segment. */
		private final boolean worker;

		private long segmentNumber;

		private long[] loaderSegments;

		private AtomicIntegerArray loadersFound;

		private AtomicInteger loadersLeft;

		private int classDumps;

		/** File offset of the buffer's first byte, and just past its last. */
		private long windowStart;

		private long windowEnd;

		private int idSize;

		// Classes, by index.
		private LongIntMap classIndex = new LongIntMap(64);

		private int classCount;

		private long[] classIds = new long[64];

		private long[] nameIds = new long[64];

		private long[] superIds = new long[64];

		private long[] loaderIds = new long[64];

		private byte[][] fieldTypes = new byte[64][];

		private byte[][] staticTypes = new byte[64][];

		private long[] instances = new long[64];

		/** Bytes of the object arrays counted under a class; instance bytes are computed at the end. */
		private long[] arrayBytes = new long[64];

		private int lastClassIndex = -1;

		private long lastClassId;

		private final long[] primitiveInstances = new long[12];

		private final long[] primitiveBytes = new long[12];

		/**
		 * Strings, one entry per UTF8 record in file order, looked up only at the end for the class names
		 * (a later record of the same id wins): no table while they are read, since a dump has about
		 * fifty of them per class (40 779 records for 863 classes here) and they are read on the calling
		 * thread alone, before the second thread starts.
		 */
		private long[] stringIds = new long[64];

		private long[] stringOffsets = new long[64];

		private int[] stringLengths = new int[64];

		private int stringCount;

		/**
		 * The strings' bytes, kept while they are in the buffer, one after another in {@link #stringText}
		 * (-1: not kept): reading the class names back at the end cost a system call each (30 ms for 900
		 * names here), a {@code byte[]} per string cost the calling thread an allocation each. Bounded by
		 * {@link #MAX_STRING_BYTES}; past it, names are read back from the file.
		 */
		private int[] stringTextAt = new int[64];

		private byte[] stringText = new byte[4096];

		private int stringTextUsed;

		// Loader objects: their index, and the class of each once its instance dump is seen.
		private LongIntMap loaderIndex = new LongIntMap(64);

		private long[] loaderObjectIds = new long[16];

		private long[] loaderClassIds = new long[16];

		private int loaderCount;

		private int unresolvedLoaders;

		/** A bit per loader object id, hashed: most instances are told apart from loaders without a probe. */
		private long loaderFilter;

		/**
		 * The loader objects still waiting for their instance dump when there are at most two, which the
		 * inner loop compares each instance with instead of testing {@link #loaderFilter}: one is left
		 * unresolved in the 1.1 GB dump (its instance is not dumped), and the hashed bit sent one instance
		 * in 64 to the one-record code for it, to the end of the file.
		 */
		private boolean fewPendingLoaders;

		private long pendingLoader0;

		private long pendingLoader1;

		private boolean sawHeapDump;

		Parser(FileChannel channel, ObjectLayout layout, boolean parallel) throws IOException {
			this.channel = channel;
			this.layout = layout;
			this.fileSize = channel.size();
			this.readLimit = this.fileSize;
			this.parallel = parallel;
			this.worker = false;
			// Direct, so reads land in it without a copy; no larger than the file, since direct memory is
			// only returned when the buffer is collected.
			this.buffer = ByteBuffer.allocateDirect((int) Math.max(256, Math.min(BUFFER, this.fileSize)) + SLACK);
		}

		/**
		 * A worker: the main parser's class and loader tables, read only (the main parser stops changing
		 * them before the first segment is handed out, or the read falls back to one thread), its own
		 * buffer and counters.
		 */
		Parser(Parser main) {
			this.channel = main.channel;
			this.layout = main.layout;
			this.fileSize = main.fileSize;
			this.readLimit = this.fileSize;
			this.parallel = false;
			this.worker = true;
			this.buffer = ByteBuffer.allocateDirect(BUFFER + SLACK);
			this.idSize = main.idSize;
			this.classIndex = main.classIndex;
			this.classCount = main.classCount;
			this.instances = new long[Math.max(1, this.classCount)];
			this.arrayBytes = new long[Math.max(1, this.classCount)];
			this.loaderIndex = main.loaderIndex;
			this.loaderCount = main.loaderCount;
			this.loaderObjectIds = main.loaderObjectIds;
			this.loaderClassIds = Arrays.copyOf(main.loaderClassIds, main.loaderClassIds.length);
			this.unresolvedLoaders = main.unresolvedLoaders;
			this.loaderFilter = main.loaderFilter;
			pendingLoaders();
			this.loaderSegments = new long[this.loaderClassIds.length];
			this.loadersFound = main.loadersFound;
			this.loadersLeft = main.loadersLeft;
		}

		ClassHistogram parse() throws IOException {
			if (this.fileSize == 0) {
				throw new HprofFormatException("Empty file: not a heap dump", 0);
			}
			long timestamp = readHeader();
			boolean openSegments = false;
			long pos = this.headerEnd;
			Dispatch dispatch = null;
			ByteBuffer header = ByteBuffer.allocate(9);
			try {
				while (pos < this.fileSize) {
					if (this.fileSize - pos < 9) {
						throw new HprofFormatException("Truncated record header: " + (this.fileSize - pos)
								+ " bytes left of 9", pos);
					}
					int tag;
					long length;
					if (dispatch == null) {
						window(pos, 9);
						int i = (int) (pos - this.windowStart);
						tag = this.buffer.get(i) & 0xFF;
						length = this.buffer.getInt(i + 5) & 0xFFFFFFFFL;
					}
					else {
						// Segments go to the workers: only their headers are read here, not a buffer-full.
						header.clear();
						while (header.hasRemaining()) {
							if (this.channel.read(header, pos + header.position()) < 0) {
								throw new HprofFormatException("The file shrank while it was read", pos);
							}
						}
						tag = header.get(0) & 0xFF;
						length = header.getInt(5) & 0xFFFFFFFFL;
					}
					long body = pos + 9;
					long end = body + length;
					if (end > this.fileSize) {
						throw new HprofFormatException(String.format(
								"Truncated file: record tag 0x%02X declares %d bytes but the file ends %d bytes later",
								tag, length, this.fileSize - body), pos);
					}
					switch (tag) {
						case UTF8 -> string(body, length, pos);
						case LOAD_CLASS -> {
							if (dispatch != null) {
								throw new Fallback(); // the workers read the class table
							}
							loadClass(body, length, pos);
						}
						case HEAP_DUMP, HEAP_DUMP_SEGMENT -> {
							this.sawHeapDump = true;
							openSegments = tag == HEAP_DUMP_SEGMENT;
							if (dispatch != null) {
								if (tag != HEAP_DUMP_SEGMENT) {
									throw new Fallback();
								}
								dispatch.submit(body, end);
							}
							else {
								int classDumpsBefore = this.classDumps;
								heapDump(body, end);
								// HotSpot writes every class dump in the first segments: once one segment
								// has none, the class table is complete and the rest can be decoded in any
								// order (a later class dump sends the read back to one thread).
								if (this.parallel && tag == HEAP_DUMP_SEGMENT && this.classDumps == classDumpsBefore) {
									dispatch = new Dispatch();
								}
							}
						}
						case HEAP_DUMP_END -> openSegments = false;
						default -> {
							// Stack traces, threads, CPU samples...: not needed for a histogram.
						}
					}
					pos = end;
				}
				if (dispatch != null) {
					dispatch.finish();
				}
			}
			finally {
				if (dispatch != null) {
					dispatch.stop();
				}
			}
			if (!this.sawHeapDump) {
				throw new HprofFormatException("No HEAP DUMP or HEAP DUMP SEGMENT record: the file is truncated "
						+ "or holds no heap dump", pos);
			}
			if (openSegments) {
				throw new HprofFormatException("Truncated file: it ends after a HEAP DUMP SEGMENT without the "
						+ "HEAP DUMP END record", pos);
			}
			List<ClassHistogram.Row> rows = rows();
			return new ClassHistogram(rows, timestamp);
		}

		private long headerEnd;

		/**
		 * Heap dump segments decoded by {@link #WORKERS} threads, the calling one and one started here,
		 * each with its own buffer and counters (memory per class, per worker), added up when the last
		 * segment is done. The calling thread first lists where the remaining segments are (a 9-byte read
		 * per 1 MB segment: about a millisecond here) while the other thread already decodes them, then
		 * decodes too. Each thread takes {@link #BATCH} consecutive segments at a time and reads through
		 * them as one range: no queue, no thread waking another. Measured on the 1.1 GB dump (2 vCPUs),
		 * against a reader thread handing single segments to two workers through a blocking queue: median
		 * 0.161 to 0.145 s (a third thread and a wake-up per segment cost more on two cores than they
		 * saved).
		 */
		private final class Dispatch {

			/** Segments taken at a time: few enough that the threads end together, many enough to read on. */
			private static final int BATCH = 4;

			private final Parser[] workers = new Parser[WORKERS];

			private final Thread[] threads = new Thread[WORKERS - 1];

			/** Body start and end of each segment, in file order; entries below {@link #listed} are final. */
			private volatile long[] segments = new long[256];

			private volatile int listed;

			private volatile boolean complete;

			private final AtomicInteger taken = new AtomicInteger();

			private volatile Throwable failure;

			private volatile boolean stopped;

			Dispatch() {
				Parser main = Parser.this;
				main.loadersFound = new AtomicIntegerArray(Math.max(1, main.loaderCount));
				for (int l = 0; l < main.loaderCount; l++) {
					if (main.loaderClassIds[l] != 0) {
						main.loadersFound.set(l, 1);
					}
				}
				main.loadersLeft = new AtomicInteger(main.unresolvedLoaders);
				for (int w = 0; w < WORKERS; w++) {
					this.workers[w] = new Parser(main);
				}
				for (int t = 0; t < this.threads.length; t++) {
					Parser worker = this.workers[t + 1];
					Thread thread = new Thread(() -> {
						try {
							work(worker);
						}
						catch (Throwable ex) {
							this.failure = ex;
							this.stopped = true;
						}
					}, "leakwatch-hprof-" + (t + 1));
					thread.setDaemon(true);
					this.threads[t] = thread;
				}
				for (Thread thread : this.threads) {
					thread.start();
				}
			}

			/** Decodes batches of segments until all are done or the read stops. */
			private void work(Parser worker) throws IOException {
				while (!this.stopped) {
					int from = this.taken.get();
					int listed = this.listed;
					if (from >= listed) {
						if (this.complete && from >= this.listed) {
							return;
						}
						Thread.yield(); // the calling thread is still listing segments: a millisecond
						continue;
					}
					int to = Math.min(from + BATCH, listed);
					if (this.taken.compareAndSet(from, to)) {
						worker.segments(this.segments, from, to, this);
					}
				}
			}

			boolean stopped() {
				return this.stopped;
			}

			void submit(long start, long end) {
				long[] segments = this.segments;
				int n = this.listed;
				if (2 * n + 2 > segments.length) {
					segments = Arrays.copyOf(segments, segments.length * 2);
					this.segments = segments;
				}
				segments[2 * n] = start;
				segments[2 * n + 1] = end;
				this.listed = n + 1;
			}

			/** Decodes on the calling thread too, waits for the others and adds their counters up. */
			void finish() throws IOException {
				this.complete = true;
				try {
					work(this.workers[0]);
				}
				catch (IOException | RuntimeException ex) {
					this.stopped = true;
					throw ex;
				}
				join();
				if (this.failure != null) {
					throw new Fallback();
				}
				Parser main = Parser.this;
				long[] firstSegment = new long[main.loaderCount];
				Arrays.fill(firstSegment, Long.MAX_VALUE);
				for (Parser worker : this.workers) {
					for (int c = 0; c < main.classCount; c++) {
						main.instances[c] += worker.instances[c];
						main.arrayBytes[c] += worker.arrayBytes[c];
					}
					for (int type = 0; type < main.primitiveInstances.length; type++) {
						main.primitiveInstances[type] += worker.primitiveInstances[type];
						main.primitiveBytes[type] += worker.primitiveBytes[type];
					}
				}
				// A loader's class is the one of its first instance dump in the file, as one thread sees it.
				for (int l = 0; l < main.loaderCount; l++) {
					if (main.loaderClassIds[l] != 0) {
						continue;
					}
					for (Parser worker : this.workers) {
						if (worker.loaderClassIds[l] != 0 && worker.loaderSegments[l] < firstSegment[l]) {
							firstSegment[l] = worker.loaderSegments[l];
							main.loaderClassIds[l] = worker.loaderClassIds[l];
						}
					}
					if (main.loaderClassIds[l] != 0) {
						main.unresolvedLoaders--;
					}
				}
			}

			/** Ends the other threads, whatever happened: none outlives the read. */
			void stop() {
				this.stopped = true;
				join();
			}

			private void join() {
				boolean interrupted = false;
				for (Thread thread : this.threads) {
					while (true) {
						try {
							thread.join();
							break;
						}
						catch (InterruptedException ex) {
							interrupted = true;
						}
					}
				}
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}

		}

		/**
		 * A worker's share: segments {@code from} to {@code to} (exclusive), consecutive in the file, read
		 * as one range so that the buffer carries over from one segment to the next.
		 */
		private void segments(long[] segments, int from, int to, Dispatch dispatch) throws IOException {
			this.dispatch = dispatch;
			this.readLimit = segments[2 * to - 1];
			this.windowStart = 0;
			this.windowEnd = 0;
			for (int k = from; k < to; k++) {
				this.segmentNumber = k;
				if (this.loadersLeft.get() == 0) {
					this.unresolvedLoaders = 0;
				}
				heapDump(segments[2 * k], segments[2 * k + 1]);
			}
		}

		private Dispatch dispatch;

		private long readHeader() throws IOException {
			int prefix = (int) Math.min(64, this.fileSize);
			window(0, prefix);
			int nul = -1;
			for (int i = 0; i < prefix; i++) {
				if (this.buffer.get(i) == 0) {
					nul = i;
					break;
				}
			}
			if (nul < 0) {
				throw new HprofFormatException("Not an hprof file: no \"JAVA PROFILE 1.0.x\" header", 0);
			}
			byte[] bytes = new byte[nul];
			this.buffer.get(0, bytes);
			String format = new String(bytes, StandardCharsets.ISO_8859_1);
			if (!format.equals("JAVA PROFILE 1.0.1") && !format.equals("JAVA PROFILE 1.0.2")
					&& !format.equals("JAVA PROFILE 1.0.3")) {
				throw new HprofFormatException("Unsupported format \"" + printable(format)
						+ "\": expected JAVA PROFILE 1.0.1, 1.0.2 or 1.0.3", 0);
			}
			long pos = nul + 1;
			if (this.fileSize - pos < 12) {
				throw new HprofFormatException("Truncated header: expected the id size and the timestamp", pos);
			}
			window(pos, 12);
			int i = (int) (pos - this.windowStart);
			this.idSize = this.buffer.getInt(i);
			if (this.idSize != 4 && this.idSize != 8) {
				throw new HprofFormatException("Unsupported identifier size " + this.idSize + ": expected 4 or 8",
						pos);
			}
			long high = this.buffer.getInt(i + 4) & 0xFFFFFFFFL;
			long low = this.buffer.getInt(i + 8) & 0xFFFFFFFFL;
			this.headerEnd = pos + 12;
			return (high << 32) | low;
		}

		private static String printable(String text) {
			return text.replaceAll("[^\\x20-\\x7E]", "?");
		}

		/**
		 * Makes {@code [pos, pos + n)} addressable in the buffer, keeping what the buffer already holds of
		 * it; bytes before {@code pos} are never read again, and bytes skipped over are never read at all.
		 * The caller has checked that the file holds them.
		 */
		private void window(long pos, int n) throws IOException {
			if (pos >= this.windowStart && pos + n <= this.windowEnd) {
				return;
			}
			if (this.dispatch != null && this.dispatch.stopped()) {
				throw new Fallback(); // the other worker failed, or the read ended: stop here
			}
			ByteBuffer buffer = this.buffer;
			if (pos >= this.windowStart && pos < this.windowEnd) {
				buffer.limit((int) (this.windowEnd - this.windowStart)).position((int) (pos - this.windowStart));
				buffer.compact();
			}
			else {
				buffer.clear();
			}
			long readAt = pos + buffer.position();
			// Never past the segment (a worker) or the file, and SLACK bytes short of the capacity.
			buffer.limit((int) Math.min(buffer.capacity() - SLACK, buffer.position() + Math.max(0, this.readLimit - readAt)));
			while (buffer.hasRemaining()) {
				int read = this.channel.read(buffer, readAt);
				if (read < 0) {
					break;
				}
				readAt += read;
			}
			this.windowStart = pos;
			this.windowEnd = readAt;
			if (readAt < Math.min(pos + n, this.readLimit)) {
				throw new HprofFormatException("The file shrank while it was read", readAt);
			}
		}

		private long id(int index) {
			return (this.idSize == 8) ? this.buffer.getLong(index) : (this.buffer.getInt(index) & 0xFFFFFFFFL);
		}

		private void string(long body, long length, long record) throws IOException {
			if (length < this.idSize) {
				throw new HprofFormatException("UTF8 record of " + length + " bytes, shorter than its id", record);
			}
			window(body, this.idSize);
			long id = id((int) (body - this.windowStart));
			int index = this.stringCount;
			if (index >= MAX_STRINGS) {
				throw new HprofFormatException("More than " + MAX_STRINGS + " strings: not a dump this parser "
						+ "reads", record);
			}
			if (index == this.stringIds.length) {
				this.stringIds = Arrays.copyOf(this.stringIds, index * 2);
				this.stringOffsets = Arrays.copyOf(this.stringOffsets, index * 2);
				this.stringLengths = Arrays.copyOf(this.stringLengths, index * 2);
				this.stringTextAt = Arrays.copyOf(this.stringTextAt, index * 2);
			}
			this.stringCount++;
			long textLength = length - this.idSize;
			this.stringIds[index] = id;
			this.stringOffsets[index] = body + this.idSize;
			this.stringLengths[index] = (int) Math.min(Integer.MAX_VALUE, textLength);
			this.stringTextAt[index] = -1;
			int used = this.stringTextUsed;
			if (textLength <= MAX_NAME_BYTES && used + textLength <= MAX_STRING_BYTES) {
				window(body, (int) length);
				if (used + textLength > this.stringText.length) {
					this.stringText = Arrays.copyOf(this.stringText,
							(int) Math.min(MAX_STRING_BYTES, Math.max(used + textLength, 2L * this.stringText.length)));
				}
				this.buffer.get((int) (body + this.idSize - this.windowStart), this.stringText, used, (int) textLength);
				this.stringTextAt[index] = used;
				this.stringTextUsed = used + (int) textLength;
			}
		}

		private void loadClass(long body, long length, long record) throws IOException {
			int need = 8 + 2 * this.idSize;
			if (length < need) {
				throw new HprofFormatException("LOAD CLASS record of " + length + " bytes: expected " + need, record);
			}
			window(body, need);
			int i = (int) (body - this.windowStart);
			long classId = id(i + 4);
			long nameId = id(i + 8 + this.idSize);
			int index = classIndex(classId, record); // may grow the arrays: before reading the field
			this.nameIds[index] = nameId;
		}

		private int classIndex(long classId, long offset) throws HprofFormatException {
			if (classId == this.lastClassId && this.lastClassIndex >= 0) {
				return this.lastClassIndex;
			}
			int index = this.classIndex.get(classId);
			if (index == LongIntMap.MISSING) {
				if (this.worker) {
					throw new Fallback(); // a class without a class dump: the table would change
				}
				index = newClass(classId, offset);
			}
			this.lastClassId = classId;
			this.lastClassIndex = index;
			return index;
		}

		private int newClass(long classId, long offset) throws HprofFormatException {
			int index = this.classCount;
			if (index >= MAX_CLASSES) {
				throw new HprofFormatException("More than " + MAX_CLASSES + " classes: not a dump this parser reads",
						offset);
			}
			if (index == this.classIds.length) {
				int capacity = index * 2;
				this.classIds = Arrays.copyOf(this.classIds, capacity);
				this.nameIds = Arrays.copyOf(this.nameIds, capacity);
				this.superIds = Arrays.copyOf(this.superIds, capacity);
				this.loaderIds = Arrays.copyOf(this.loaderIds, capacity);
				this.fieldTypes = Arrays.copyOf(this.fieldTypes, capacity);
				this.staticTypes = Arrays.copyOf(this.staticTypes, capacity);
				this.instances = Arrays.copyOf(this.instances, capacity);
				this.arrayBytes = Arrays.copyOf(this.arrayBytes, capacity);
			}
			this.classIds[index] = classId;
			this.classCount++;
			this.classIndex.put(classId, index);
			return index;
		}

		/**
		 * The loop that sees every object: buffer, window, class table and counters in locals, the three
		 * kinds of object record decoded inline, one window check per record.
		 */
		private void heapDump(long start, long end) throws IOException {
			final int id = this.idSize;
			final boolean wide = id == 8;
			final int objectFixed = 2 * id + 8;
			final int primitiveFixed = id + 9;
			// Array sizes as HotSpot computes them, per element type: base + length * element, aligned.
			final int[] elementSizes = new int[256];
			final long[] arrayBases = new long[256];
			for (int type = ObjectLayout.BOOLEAN; type <= ObjectLayout.LONG; type++) {
				elementSizes[type] = primitiveSize(type);
				arrayBases[type] = this.layout.arrayBase(elementSizes[type]);
			}
			final long alignMask = this.layout.alignment() - 1;
			final int referenceSize = this.layout.referenceSize();
			final long referenceArrayBase = this.layout.arrayBase(referenceSize);
			final int idShift = Integer.numberOfTrailingZeros(id);
			// The class table, probed inline: a call per object measured 30 % slower.
			long[] keys = this.classIndex.keys();
			int[] values = this.classIndex.values();
			int shift = this.classIndex.shift();
			int mask = keys.length - 1;
			boolean resolveLoaders = this.unresolvedLoaders > 0;
			// One bit per loader object id: a loader left unresolved (its instance not in the dump) would
			// otherwise cost a table probe for every instance.
			long loaderFilter = this.loaderFilter;
			boolean fewLoaders = this.fewPendingLoaders;
			long loader0 = this.pendingLoader0;
			long loader1 = this.pendingLoader1;
			long[] instances = this.instances;
			long[] arrayBytes = this.arrayBytes;
			final long[] primitiveInstances = this.primitiveInstances;
			final long[] primitiveBytes = this.primitiveBytes;
			long pos = start;
			ByteBuffer buffer = this.buffer;
			long base = this.windowStart;
			// Below this offset every fixed-size part of a record (at most 2 * id + 9 bytes) is in the buffer.
			long safe = safeLimit();
			while (pos < end) {
				if (pos > safe) {
					window(pos, (int) Math.min(end - pos, 64));
					base = this.windowStart;
					safe = safeLimit();
				}
				// The inner loop: instance, object array and primitive array records that are whole in the
				// buffer, valid, of known classes and not loader candidates; anything else leaves it for the
				// one-record code below. It holds no call, even on its rare paths, which let the JIT keep the
				// buffer's fields in registers: the decoding's user CPU went from 0.19 to 0.12 s per read of
				// the 1.1 GB dump on one thread.
				{
					long p = pos - base;
					// Its reads are all within a record's first 1 + 2 * id + 8 bytes: records that start
					// closer to the segment's end are left to the code below, which checks their length.
					long stop = Math.min(safe, end - 1 - objectFixed) - base;
					long endRel = end - base;
					while (p <= stop) {
						int j = (int) p;
						int t = buffer.get(j);
						if (t == INSTANCE_DUMP) {
							long classId = wide ? buffer.getLong(j + 1 + id + 4) : (buffer.getInt(j + 1 + id + 4) & 0xFFFFFFFFL);
							long next = p + 1 + objectFixed + (buffer.getInt(j + 1 + 2 * id + 4) & 0xFFFFFFFFL);
							if (next > endRel) {
								break;
							}
							if (resolveLoaders) {
								long objectId = wide ? buffer.getLong(j + 1) : (buffer.getInt(j + 1) & 0xFFFFFFFFL);
								if (fewLoaders ? (objectId == loader0 | objectId == loader1)
										: (loaderFilter & (1L << ((objectId * LongIntMap.HASH) >>> 58))) != 0) {
									break;
								}
							}
							int slot = (int) ((classId * LongIntMap.HASH) >>> shift);
							long key;
							while ((key = keys[slot]) != classId && key != 0) {
								slot = (slot + 1) & mask;
							}
							if (key == 0) {
								break;
							}
							instances[values[slot]]++;
							p = next;
						}
						else if (t == PRIM_ARRAY_DUMP) {
							// The element count and type in one read, and a shift, not a multiply by the
							// size from a table: each record's position waits on the length of the one
							// before, and this takes a load and a multiply off that chain (sizes are powers
							// of two, type & 3 their shift from boolean, 4, to long, 11). One thread 0.1790
							// -> 0.1684 s on the 1.1 GB dump, with the shift for object arrays too.
							long header = buffer.getLong(j + 1 + id + 4);
							long length = header >>> 32;
							int type = (int) (header >>> 24) & 0xFF;
							long elementBytes = length << (type & 3);
							long next = p + 1 + primitiveFixed + elementBytes;
							if (elementSizes[type] == 0 || next > endRel) {
								break;
							}
							primitiveInstances[type]++;
							primitiveBytes[type] += (arrayBases[type] + elementBytes + alignMask) & ~alignMask;
							p = next;
						}
						else if (t == OBJ_ARRAY_DUMP) {
							long length = buffer.getInt(j + 1 + id + 4) & 0xFFFFFFFFL;
							long classId = wide ? buffer.getLong(j + 1 + id + 8) : (buffer.getInt(j + 1 + id + 8) & 0xFFFFFFFFL);
							long next = p + 1 + objectFixed + (length << idShift);
							if (next > endRel) {
								break;
							}
							int slot = (int) ((classId * LongIntMap.HASH) >>> shift);
							long key;
							while ((key = keys[slot]) != classId && key != 0) {
								slot = (slot + 1) & mask;
							}
							if (key == 0) {
								break;
							}
							int index = values[slot];
							instances[index]++;
							arrayBytes[index] += (referenceArrayBase + length * referenceSize + alignMask) & ~alignMask;
							p = next;
						}
						else {
							break;
						}
					}
					pos = base + p;
					if (pos >= end) {
						break;
					}
					if (pos > safe) {
						// The record is whole in the buffer once this returns, even when the window does
						// not move (fewer than 64 bytes left before the segment's end): decode it below.
						window(pos, (int) Math.min(end - pos, 64));
						base = this.windowStart;
						safe = safeLimit();
					}
				}
				int i = (int) (pos - base) + 1;
				int tag = buffer.get(i - 1) & 0xFF;
				if (tag == INSTANCE_DUMP) {
					check(pos, 1 + objectFixed, end, pos, "INSTANCE DUMP"); // else read past the buffer's end
					long body = pos + 1 + objectFixed;
					long classId = wide ? buffer.getLong(i + id + 4) : (buffer.getInt(i + id + 4) & 0xFFFFFFFFL);
					long next = body + (buffer.getInt(i + 2 * id + 4) & 0xFFFFFFFFL);
					if (next > end) {
						throw pastSegment(pos, "INSTANCE DUMP", end);
					}
					int index = -1;
					for (int slot = (int) ((classId * LongIntMap.HASH) >>> shift);; slot = (slot + 1) & mask) {
						long key = keys[slot];
						if (key == classId && key != 0) {
							index = values[slot];
							break;
						}
						if (key == 0) {
							break;
						}
					}
					if (index < 0) {
						index = classIndex(classId, pos);
						keys = this.classIndex.keys();
						values = this.classIndex.values();
						shift = this.classIndex.shift();
						mask = keys.length - 1;
						instances = this.instances;
						arrayBytes = this.arrayBytes;
					}
					instances[index]++;
					if (resolveLoaders) {
						long objectId = wide ? buffer.getLong(i) : (buffer.getInt(i) & 0xFFFFFFFFL);
						if ((loaderFilter & (1L << ((objectId * LongIntMap.HASH) >>> 58))) != 0) {
							loaderInstance(objectId, classId);
							resolveLoaders = this.unresolvedLoaders > 0;
							fewLoaders = this.fewPendingLoaders;
							loader0 = this.pendingLoader0;
							loader1 = this.pendingLoader1;
						}
					}
					pos = next;
				}
				else if (tag == PRIM_ARRAY_DUMP || tag == 0xC3) {
					// 0xC3 is Android's PRIMITIVE ARRAY NODATA: the same header without the elements.
					check(pos, 1 + primitiveFixed, end, pos, "PRIM ARRAY DUMP");
					long length = buffer.getInt(i + id + 4) & 0xFFFFFFFFL;
					int type = buffer.get(i + id + 8) & 0xFF;
					int size = elementSizes[type];
					long next = pos + 1 + primitiveFixed + ((tag == PRIM_ARRAY_DUMP) ? length * size : 0);
					if (size == 0) {
						throw new HprofFormatException("PRIM ARRAY DUMP of unknown element type " + type, pos);
					}
					if (next > end) {
						throw pastSegment(pos, "PRIM ARRAY DUMP", end);
					}
					primitiveInstances[type]++;
					primitiveBytes[type] += (arrayBases[type] + length * size + alignMask) & ~alignMask;
					pos = next;
				}
				else if (tag == OBJ_ARRAY_DUMP) {
					check(pos, 1 + objectFixed, end, pos, "OBJ ARRAY DUMP");
					long length = buffer.getInt(i + id + 4) & 0xFFFFFFFFL;
					long classId = wide ? buffer.getLong(i + id + 8) : (buffer.getInt(i + id + 8) & 0xFFFFFFFFL);
					long next = pos + 1 + objectFixed + length * id;
					if (next > end) {
						throw pastSegment(pos, "OBJ ARRAY DUMP", end);
					}
					int index = classIndex(classId, pos);
					instances = this.instances;
					arrayBytes = this.arrayBytes;
					instances[index]++;
					arrayBytes[index] += (referenceArrayBase + length * referenceSize + alignMask) & ~alignMask;
					pos = next;
				}
				else {
					pos = otherSubRecord(tag, pos, end);
					base = this.windowStart;
					safe = safeLimit();
					keys = this.classIndex.keys();
					values = this.classIndex.values();
					shift = this.classIndex.shift();
					mask = keys.length - 1;
					resolveLoaders = this.unresolvedLoaders > 0;
					loaderFilter = this.loaderFilter;
					fewLoaders = this.fewPendingLoaders;
					loader0 = this.pendingLoader0;
					loader1 = this.pendingLoader1;
					instances = this.instances;
					arrayBytes = this.arrayBytes;
				}
			}
		}

		private long safeLimit() {
			return (this.windowEnd == this.readLimit) ? Long.MAX_VALUE : this.windowEnd - 64;
		}

		private long otherSubRecord(int tag, long record, long end) throws IOException {
			final int id = this.idSize;
			long pos = record + 1;
			switch (tag) {
				case CLASS_DUMP:
					return classDump(pos, end, record);
				// GC roots and Android's extra records: fixed sizes, nothing to count.
				case 0xFF, 0x05, 0x07, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x90:
					return skip(pos, id, end, record);
				case 0x01:
					return skip(pos, 2 * id, end, record);
				case 0x02, 0x03, 0x08, 0x8E:
					return skip(pos, id + 8, end, record);
				case 0x04, 0x06, 0xFE:
					return skip(pos, id + 4, end, record);
				default:
					throw new HprofFormatException(String.format(
							"Unknown heap dump sub-record tag 0x%02X: the file is corrupt or of an unsupported kind",
							tag), record);
			}
		}

		private static int primitiveSize(int type) {
			switch (type) {
				case ObjectLayout.BOOLEAN, ObjectLayout.BYTE: return 1;
				case ObjectLayout.CHAR, ObjectLayout.SHORT: return 2;
				case ObjectLayout.FLOAT, ObjectLayout.INT: return 4;
				case ObjectLayout.DOUBLE, ObjectLayout.LONG: return 8;
				default: return 0;
			}
		}

		/** Size of a value of this basic type in the file (references at the id size). */
		private int valueSize(int type, long offset) throws HprofFormatException {
			if (type == ObjectLayout.OBJECT) {
				return this.idSize;
			}
			int size = primitiveSize(type);
			if (size == 0) {
				throw new HprofFormatException("Unknown basic type " + type + " in a CLASS DUMP", offset);
			}
			return size;
		}

		private static void check(long pos, int n, long end, long record, String what) throws HprofFormatException {
			if (pos + n > end) {
				throw pastSegment(record, what, end);
			}
		}

		private static HprofFormatException pastSegment(long record, String what, long end) {
			return new HprofFormatException(what + " sub-record runs past the end of its heap dump record at "
					+ end + ": the file is corrupt", record);
		}

		private static long skip(long pos, int n, long end, long record) throws HprofFormatException {
			if (pos + n > end) {
				throw pastSegment(record, "GC root", end);
			}
			return pos + n;
		}

		private long classDump(long pos, long end, long record) throws IOException {
			if (this.worker) {
				throw new Fallback(); // the class table is the main parser's: in order, on one thread
			}
			this.classDumps++;
			final int id = this.idSize;
			int fixed = 7 * id + 8 + 2;
			check(pos, fixed, end, record, "CLASS DUMP");
			window(pos, fixed);
			int i = (int) (pos - this.windowStart);
			long classId = id(i);
			long superId = id(i + id + 4);
			long loaderId = id(i + 2 * id + 4);
			int constants = this.buffer.getShort(i + fixed - 2) & 0xFFFF;
			pos += fixed;
			for (int c = 0; c < constants; c++) {
				check(pos, 3, end, record, "CLASS DUMP");
				window(pos, 3);
				int type = this.buffer.get((int) (pos - this.windowStart) + 2);
				pos += 3 + valueSize(type, record);
			}
			check(pos, 2, end, record, "CLASS DUMP");
			window(pos, 2);
			int statics = this.buffer.getShort((int) (pos - this.windowStart)) & 0xFFFF;
			pos += 2;
			byte[] staticTypes = new byte[statics];
			for (int s = 0; s < statics; s++) {
				check(pos, id + 1, end, record, "CLASS DUMP");
				window(pos, id + 1);
				int type = this.buffer.get((int) (pos - this.windowStart) + id);
				staticTypes[s] = (byte) type;
				pos += id + 1 + valueSize(type, record);
			}
			check(pos, 2, end, record, "CLASS DUMP");
			window(pos, 2);
			int fields = this.buffer.getShort((int) (pos - this.windowStart)) & 0xFFFF;
			pos += 2;
			byte[] types = new byte[fields];
			for (int f = 0; f < fields; f++) {
				check(pos, id + 1, end, record, "CLASS DUMP");
				window(pos, id + 1);
				int type = this.buffer.get((int) (pos - this.windowStart) + id);
				valueSize(type, record);
				types[f] = (byte) type;
				pos += id + 1;
			}
			check(pos, 0, end, record, "CLASS DUMP");
			int index = classIndex(classId, record);
			this.superIds[index] = superId;
			this.loaderIds[index] = loaderId;
			this.fieldTypes[index] = types;
			this.staticTypes[index] = staticTypes;
			if (loaderId != 0 && this.loaderIndex.get(loaderId) == LongIntMap.MISSING) {
				if (this.loaderCount == this.loaderObjectIds.length) {
					this.loaderObjectIds = Arrays.copyOf(this.loaderObjectIds, this.loaderCount * 2);
					this.loaderClassIds = Arrays.copyOf(this.loaderClassIds, this.loaderCount * 2);
				}
				this.loaderObjectIds[this.loaderCount] = loaderId;
				this.loaderIndex.put(loaderId, this.loaderCount++);
				this.loaderFilter |= 1L << ((loaderId * LongIntMap.HASH) >>> 58);
				this.unresolvedLoaders++;
				pendingLoaders();
			}
			return pos;
		}

		/** Finds the pending loaders when there are at most two (see {@link #fewPendingLoaders}). */
		private void pendingLoaders() {
			this.fewPendingLoaders = false;
			if (this.unresolvedLoaders > 2 || this.loaderCount > 64) {
				return; // the hashed bits, rather than a scan per loader resolved
			}
			int pending = 0;
			for (int l = 0; l < this.loaderCount; l++) {
				if (this.loaderClassIds[l] == 0) {
					if (pending == 2) {
						return;
					}
					if (pending++ == 0) {
						this.pendingLoader0 = this.loaderObjectIds[l];
					}
					this.pendingLoader1 = this.loaderObjectIds[l];
				}
			}
			this.fewPendingLoaders = pending > 0;
		}

		private void loaderInstance(long objectId, long classId) {
			int loader = this.loaderIndex.get(objectId);
			if (loader != LongIntMap.MISSING && this.loaderClassIds[loader] == 0) {
				this.loaderClassIds[loader] = classId;
				this.unresolvedLoaders--;
				pendingLoaders();
				if (this.worker) {
					this.loaderSegments[loader] = this.segmentNumber;
					if (this.loadersFound.compareAndSet(loader, 0, 1)) {
						this.loadersLeft.decrementAndGet();
					}
				}
			}
		}

		// ---- The rows, once the whole file is read.

		/**
		 * Whether {@code Thread} has its padded {@code @Contended} group: the JVM's histogram shows it on
		 * JDK 17 and not on JDK 25 (checked on those two only). The dump does not record annotations, so
		 * this assumes the dumping JVM's version is the parsing JVM's.
		 */
		private static final boolean CONTENDED_THREAD = Runtime.version().feature() < 19;

		/** Whether {@code Thread} has the fields virtual threads brought (JDK 21+), injected, so not in dumps. */
		private static final boolean THREAD_JVMTI_FIELDS = Runtime.version().feature() >= 21;

		private List<ClassHistogram.Row> rows() throws IOException {
			// The string record of each class's name: the last of its id, as in a table filled in order.
			LongIntMap nameIndex = new LongIntMap(this.classCount);
			for (int c = 0; c < this.classCount; c++) {
				if (this.nameIds[c] != 0 && nameIndex.get(this.nameIds[c]) == LongIntMap.MISSING) {
					nameIndex.put(this.nameIds[c], nameIndex.size()); // classes of one name share it
				}
			}
			int[] nameStrings = new int[nameIndex.size()];
			Arrays.fill(nameStrings, LongIntMap.MISSING);
			for (int s = 0; s < this.stringCount; s++) {
				int n = nameIndex.get(this.stringIds[s]);
				if (n != LongIntMap.MISSING) {
					nameStrings[n] = s;
				}
			}
			String[] names = new String[this.classCount];
			for (int c = 0; c < this.classCount; c++) {
				int s = (this.nameIds[c] == 0) ? LongIntMap.MISSING : nameStrings[nameIndex.get(this.nameIds[c])];
				names[c] = name(c, s);
			}
			String[] loaderLabels = loaderLabels(names);
			ObjectLayout.FieldLayout[] layouts = new ObjectLayout.FieldLayout[this.classCount];
			List<ClassHistogram.Row> rows = new ArrayList<>();
			int classClass = -1;
			int dumpedClasses = 0;
			for (int c = 0; c < this.classCount; c++) {
				if (this.fieldTypes[c] != null) {
					dumpedClasses++;
				}
				if ("java/lang/Class".equals(names[c]) && this.loaderIds[c] == 0) {
					classClass = c;
				}
			}
			long classBytes = 0;
			if (classClass >= 0) {
				ObjectLayout.FieldLayout mirror = layout(classClass, layouts, names);
				long mirrorSize = this.layout.instanceSize(mirror);
				for (int c = 0; c < this.classCount; c++) {
					if (this.staticTypes[c] != null) {
						classBytes += mirrorSize(mirrorSize, this.staticTypes[c]);
					}
				}
			}
			for (int c = 0; c < this.classCount; c++) {
				long count = this.instances[c];
				long bytes = this.arrayBytes[c];
				if (c == classClass) {
					count += dumpedClasses;
					bytes += classBytes;
				}
				if (count == 0) {
					continue;
				}
				long plain = count - ((c == classClass) ? dumpedClasses : 0);
				boolean array = names[c].startsWith("[");
				if (!array && plain > 0) {
					bytes += plain * this.layout.instanceSize(layout(c, layouts, names));
				}
				String loader = (this.loaderIds[c] == 0) ? null : loaderLabels[this.loaderIndex.get(this.loaderIds[c])];
				rows.add(new ClassHistogram.Row(ClassNames.readable(names[c]), loader, count, bytes));
			}
			String[] primitiveNames = { null, null, null, null, "boolean[]", "char[]", "float[]", "double[]", "byte[]",
					"short[]", "int[]", "long[]" };
			for (int type = 4; type < 12; type++) {
				if (this.primitiveInstances[type] > 0) {
					rows.add(new ClassHistogram.Row(primitiveNames[type], null, this.primitiveInstances[type],
							this.primitiveBytes[type]));
				}
			}
			rows.sort(Comparator.comparingLong(ClassHistogram.Row::bytes).reversed()
				.thenComparing(ClassHistogram.Row::className));
			return rows;
		}

		/** The name of class {@code c}, string record {@code s}. */
		private String name(int c, int s) throws IOException {
			if (s == LongIntMap.MISSING) {
				// No LOAD CLASS record named it: corrupt, but the counts are still worth showing.
				return String.format("unnamed class 0x%x", this.classIds[c]);
			}
			int length = this.stringLengths[s];
			if (this.stringTextAt[s] >= 0) {
				return new String(this.stringText, this.stringTextAt[s], length, StandardCharsets.UTF_8);
			}
			if (length > MAX_NAME_BYTES) {
				throw new HprofFormatException("Class name of " + length + " bytes: the file is corrupt",
						this.stringOffsets[s]);
			}
			ByteBuffer bytes = ByteBuffer.allocate(length);
			long offset = this.stringOffsets[s];
			while (bytes.hasRemaining()) {
				if (this.channel.read(bytes, offset + bytes.position()) < 0) {
					throw new HprofFormatException("Truncated class name", offset);
				}
			}
			return new String(bytes.array(), StandardCharsets.UTF_8);
		}

		private String[] loaderLabels(String[] names) {
			String[] labels = new String[this.loaderCount];
			Map<String, List<Integer>> byLabel = new HashMap<>();
			for (int l = 0; l < this.loaderCount; l++) {
				int c = this.classIndex.get(this.loaderClassIds[l]);
				labels[l] = (this.loaderClassIds[l] == 0 || c == LongIntMap.MISSING) ? "unknown loader"
						: ClassNames.readable(names[c]);
				byLabel.computeIfAbsent(labels[l], (key) -> new ArrayList<>()).add(l);
			}
			// What each loader defines, for a numbering that does not depend on addresses.
			String[] firstClass = new String[this.loaderCount];
			long[] classes = new long[this.loaderCount];
			long[] objects = new long[this.loaderCount];
			for (int c = 0; c < this.classCount; c++) {
				if (this.loaderIds[c] == 0) {
					continue;
				}
				int l = this.loaderIndex.get(this.loaderIds[c]);
				if (firstClass[l] == null || names[c].compareTo(firstClass[l]) < 0) {
					firstClass[l] = names[c];
				}
				classes[l]++;
				objects[l] += this.instances[c];
			}
			for (List<Integer> same : byLabel.values()) {
				if (same.size() < 2) {
					continue;
				}
				same.sort(Comparator.<Integer, String>comparing((l) -> firstClass[l], Comparator.nullsLast(Comparator.naturalOrder()))
					.thenComparingLong((l) -> classes[l])
					.thenComparingLong((l) -> objects[l])
					.thenComparingInt((l) -> l));
				for (int n = 0; n < same.size(); n++) {
					int l = same.get(n);
					labels[l] = labels[l] + "#" + (n + 1);
				}
			}
			return labels;
		}

		/** The layout of a class's instances, computed once per class up its superclass chain. */
		private ObjectLayout.FieldLayout layout(int c, ObjectLayout.FieldLayout[] layouts, String[] names)
				throws HprofFormatException {
			if (layouts[c] != null) {
				return layouts[c];
			}
			// Walk up to the first class already laid out, then lay out down again: no recursion, and a
			// superclass cycle in a corrupt file ends at the class-count bound.
			List<Integer> chain = new ArrayList<>();
			int current = c;
			while (current != LongIntMap.MISSING && layouts[current] == null) {
				if (chain.size() > this.classCount) {
					throw new HprofFormatException("Superclass cycle at class " + names[c], 0);
				}
				chain.add(current);
				long superId = this.superIds[current];
				current = (superId == 0) ? LongIntMap.MISSING : this.classIndex.get(superId);
			}
			ObjectLayout.FieldLayout superLayout = (current == LongIntMap.MISSING) ? null : layouts[current];
			for (int k = chain.size() - 1; k >= 0; k--) {
				int k2 = chain.get(k);
				superLayout = ownLayout(k2, superLayout, names[k2]);
				layouts[k2] = superLayout;
			}
			return layouts[c];
		}

		private ObjectLayout.FieldLayout ownLayout(int c, ObjectLayout.FieldLayout superLayout, String name) {
			byte[] types = (this.fieldTypes[c] != null) ? this.fieldTypes[c] : new byte[0];
			int references = 0;
			int[] primitives = new int[types.length + 4];
			int n = 0;
			for (byte type : types) {
				if (type == ObjectLayout.OBJECT) {
					references++;
				}
				else {
					primitives[n++] = primitiveSize(type);
				}
			}
			// Fields HotSpot injects and heap dumps leave out (javaClasses.hpp, *_INJECTED_FIELDS).
			switch (name) {
				case "java/lang/Class" -> {
					primitives[n++] = 8; // klass
					primitives[n++] = 8; // array_klass
					primitives[n++] = 4; // oop_size
					primitives[n++] = 4; // static_oop_field_count
					references += 3; // protection_domain, signers, source_file
				}
				case "java/lang/ClassLoader", "java/lang/Module" -> primitives[n++] = 8; // loader_data, module_entry
				case "java/lang/Thread" -> {
					if (THREAD_JVMTI_FIELDS) {
						primitives[n++] = 8; // jvmti_thread_state
						primitives[n++] = 4; // jvmti_VTMS_transition_disable_count
						primitives[n++] = 1; // jvmti_is_in_VTMS_transition
						primitives[n++] = 2; // jfr_epoch
					}
				}
				case "java/lang/invoke/MemberName" -> primitives[n++] = 8; // vmindex
				case "java/lang/invoke/MethodHandleNatives$CallSiteContext" -> {
					primitives[n++] = 8; // vmdependencies
					primitives[n++] = 8; // last_cleanup
				}
				case "java/lang/invoke/ResolvedMethodName" -> {
					primitives[n++] = 8; // vmtarget
					if (types.length == 0) {
						references++; // vmholder, injected up to some JDK after 17 and declared in 25
					}
				}
				default -> {
				}
			}
			ObjectLayout.FieldLayout own = this.layout.layout(superLayout, Arrays.copyOf(primitives, n), references);
			if (name.equals("java/lang/Thread") && CONTENDED_THREAD) {
				// Its thread-local random fields are @Contended: HotSpot pads the group on both sides
				// (ContendedPaddingWidth, 128 bytes by default) and lays subclasses out after the end, which
				// the JVM's histogram shows at the next 8 bytes.
				return new ObjectLayout.FieldLayout(new int[] { 0 }, new int[] { (int) ObjectLayout.align(own.end() + 2 * 128, 8) });
			}
			return own;
		}

		/**
		 * A class's mirror: a {@code java.lang.Class} instance with the static fields at its end. They are
		 * laid out from an aligned offset, largest first, so there are no gaps to fill: the best fit
		 * HotSpot searches for reduces to packing them in order, then aligning for the references.
		 */
		private long mirrorSize(long classInstanceSize, byte[] staticTypes) {
			long end = classInstanceSize;
			int references = 0;
			for (byte type : staticTypes) {
				if (type == ObjectLayout.OBJECT) {
					references++;
				}
				else {
					end += primitiveSize(type);
				}
			}
			if (references > 0) {
				int size = this.layout.referenceSize();
				end = ObjectLayout.align(end, size) + (long) references * size;
			}
			return ObjectLayout.align(ObjectLayout.align(end, 8), this.layout.alignment());
		}

	}

}
