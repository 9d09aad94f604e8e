package io.leakwatch.heap.hprof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.leakwatch.heap.ClassHistogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Parses small files built byte by byte: the parts of the format no JVM here writes (4-byte ids, the
 * unsegmented 1.0.1 heap dump, Android's sub-records), and truncated or corrupt files, which must fail
 * with an {@link HprofFormatException} naming the offset, quickly and without allocating what the
 * file claims.
 */
class HprofHistogramTests {

	private static final ObjectLayout COMPRESSED = new ObjectLayout(true, true, false, 8);

	private static final long TIMESTAMP = 1_795_000_000_123L;

	private static final long OBJECT = 0x100, POINT = 0x200, POINTS = 0x300, LOADER_CLASS = 0x400,
			LOADER = 0x5000;

	@TempDir
	Path dir;

	/**
	 * Object; a loader class; {@code com.example.Point} (int, int, reference) defined by an instance of
	 * it; {@code Point[]}; three points, two point arrays, a byte and an int array, over two segments.
	 */
	private static byte[] sample(int idSize) {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", idSize, TIMESTAMP);
		b.utf8(1, "java/lang/Object").utf8(2, "com/example/Point").utf8(3, "[Lcom/example/Point;")
			.utf8(4, "com/example/Loader")
			.loadClass(1, OBJECT, 1).loadClass(2, POINT, 2).loadClass(3, POINTS, 3).loadClass(4, LOADER_CLASS, 4)
			.stackTrace();
		b.startHeapDump()
			.classDump(OBJECT, 0, 0)
			.classDump(LOADER_CLASS, OBJECT, 0, ObjectLayout.OBJECT)
			.classDump(POINT, OBJECT, LOADER, ObjectLayout.INT, ObjectLayout.OBJECT, ObjectLayout.INT)
			.classDump(POINTS, OBJECT, LOADER)
			.root(0xFF, 0x6001, 0).root(0x01, 0x6002, idSize).root(0x02, 0x6003, 8).root(0x03, 0x6004, 8)
			.root(0x04, 0x6005, 4).root(0x05, 0x6006, 0).root(0x06, 0x6007, 4).root(0x07, 0x6008, 0)
			.root(0x08, 0x6009, 8)
			.endHeapDump(0x1C);
		b.startHeapDump()
			.instance(LOADER, LOADER_CLASS, idSize)
			.instance(0x7001, POINT, 8 + idSize).instance(0x7002, POINT, 8 + idSize)
			.objectArray(0x7003, POINTS, 0).objectArray(0x7004, POINTS, 5)
			.instance(0x7005, POINT, 8 + idSize)
			.primitiveArray(0x7006, ObjectLayout.BYTE, 10, 1)
			.primitiveArray(0x7007, ObjectLayout.INT, 3, 4)
			// Android's roots and heap info: fixed sizes the parser must know to go on.
			.root(0x89, 0x6010, 0).root(0x8E, 0x6011, 8).root(0xFE, 0, 4 - idSize + idSize)
			.endHeapDump(0x1C);
		return b.heapDumpEnd().bytes();
	}

	@Test
	void readsFourByteIdentifiers() throws IOException {
		ClassHistogram histogram = HprofHistogram.read(write(sample(4)), COMPRESSED);
		assertSample(histogram);
	}

	@Test
	void readsEightByteIdentifiers() throws IOException {
		ClassHistogram histogram = HprofHistogram.read(write(sample(8)), COMPRESSED);
		assertSample(histogram);
	}

	private static void assertSample(ClassHistogram histogram) {
		assertThat(histogram.timestampMillis()).isEqualTo(TIMESTAMP);
		assertThat(histogram.rows()).containsExactlyInAnyOrder(
				// 12-byte header, two ints and a 4-byte reference: 24.
				new ClassHistogram.Row("com.example.Point", "com.example.Loader", 3, 3 * 24),
				// 16-byte header with length; 0 and 5 references: 16 and 36, padded to 40.
				new ClassHistogram.Row("com.example.Point[]", "com.example.Loader", 2, 16 + 40),
				new ClassHistogram.Row("com.example.Loader", null, 1, 16),
				new ClassHistogram.Row("byte[]", null, 1, 32),
				new ClassHistogram.Row("int[]", null, 1, 32));
	}

	@Test
	void readsAnUnsegmentedVersion101HeapDump() throws IOException {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.1", 4, TIMESTAMP);
		b.utf8(1, "java/lang/Object").utf8(2, "a/B").loadClass(1, OBJECT, 1).loadClass(2, POINT, 2);
		b.startHeapDump().classDump(OBJECT, 0, 0).classDump(POINT, OBJECT, 0, ObjectLayout.LONG)
			.instance(0x7001, POINT, 8).instance(0x7002, OBJECT, 0).endHeapDump(0x0C);
		ClassHistogram histogram = HprofHistogram.read(write(b.bytes()), new ObjectLayout(false, false, false, 8));
		// Without compressed class pointers: a 16-byte header, then the long.
		assertThat(histogram.rows()).containsExactlyInAnyOrder(new ClassHistogram.Row("a.B", null, 1, 24),
				new ClassHistogram.Row("java.lang.Object", null, 1, 16));
	}

	@Test
	void readsAHeapWithNoObjects() throws IOException {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 8, TIMESTAMP);
		b.startHeapDump().endHeapDump(0x1C).heapDumpEnd();
		ClassHistogram histogram = HprofHistogram.read(write(b.bytes()), COMPRESSED);
		assertThat(histogram.rows()).isEmpty();
		assertThat(histogram.timestampMillis()).isEqualTo(TIMESTAMP);
	}

	@Test
	void rejectsAnEmptyFile() throws IOException {
		assertThatExceptionOfType(HprofFormatException.class)
			.isThrownBy(() -> HprofHistogram.read(write(new byte[0]), COMPRESSED))
			.withMessageContaining("Empty file");
	}

	@Test
	void rejectsOtherFiles() throws IOException {
		assertFails("not a heap dump at all".getBytes(), "no \"JAVA PROFILE 1.0.x\" header");
		assertFails(new HprofBuilder("JAVA PROFILE 9.9.9", 8, 0).bytes(), "Unsupported format");
		assertFails(new HprofBuilder("JAVA PROFILE 1.0.2", 5, 0).bytes(), "Unsupported identifier size 5");
		assertFails(new HprofBuilder("JAVA PROFILE 1.0.2", 8, 0).utf8(1, "x").bytes(), "No HEAP DUMP");
	}

	@Test
	void failsAtEveryTruncation() throws IOException {
		for (int idSize : new int[] { 4, 8 }) {
			byte[] whole = sample(idSize);
			Path file = write(whole);
			// Cutting one file shorter and shorter: rewriting a file per cut costs milliseconds each here.
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
				for (int cut = whole.length - 1; cut >= 0; cut--) {
					channel.truncate(cut);
					int at = cut;
					assertThatExceptionOfType(HprofFormatException.class).as("cut at %d of %d", at, whole.length)
						.isThrownBy(() -> HprofHistogram.read(file, COMPRESSED))
						.withMessageContaining("offset");
				}
			}
		}
	}

	@Test
	void rejectsAbsurdLengths() throws IOException {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().subBytes(0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, (byte) 0xFF, (byte) 0xFF,
				(byte) 0xFF, (byte) 0xF0).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "INSTANCE DUMP sub-record runs past the end");
		// An array length with the sign bit set: read unsigned, so past the end, not negative.
		b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().subBytes(0x23, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0x80, 0, 0, 0, ObjectLayout.LONG)
			.endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "PRIM ARRAY DUMP sub-record runs past the end");
		b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().subBytes(0x22, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
				(byte) 0xFF, 0, 0, 0, 2).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "OBJ ARRAY DUMP sub-record runs past the end");
		byte[] record = sample(4);
		// The first record's length (after the 19-byte format, its NUL and 12 header bytes, tag, time).
		int length = 19 + 1 + 12 + 1 + 4;
		record[length] = (byte) 0x7F;
		assertFails(record, "Truncated file: record tag 0x01 declares");
	}

	@Test
	void rejectsSubRecordsCutByTheEndOfTheirSegment() throws IOException {
		// Only part of a sub-record's fixed header before its segment ends, and the file ends soon after:
		// read past the buffer, these failed with an IndexOutOfBoundsException.
		for (int tag : new int[] { 0x21, 0x22, 0x23 }) {
			HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
			b.startHeapDump().subBytes(tag, 0, 0, 0, 1, 0, 0, 0, 0).endHeapDump(0x1C).heapDumpEnd();
			assertFails(b.bytes(), "sub-record runs past the end");
			b = new HprofBuilder("JAVA PROFILE 1.0.2", 8, 0);
			b.startHeapDump().subBytes(tag, 0, 0, 0, 0, 0, 0, 0, 1).endHeapDump(0x1C);
			assertFails(b.bytes(), "sub-record runs past the end");
		}
	}

	@Test
	void rejectsUnknownSubRecordsAndTypes() throws IOException {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().subBytes(0x42, 0, 0, 0, 0).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "Unknown heap dump sub-record tag 0x42");
		b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().primitiveArray(1, 3, 1, 1).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "unknown element type 3");
		b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.startHeapDump().classDump(1, 0, 0, 12).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "Unknown basic type 12");
	}

	@Test
	void rejectsASuperclassCycle() throws IOException {
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 4, 0);
		b.utf8(1, "a/A").utf8(2, "a/B").loadClass(1, 0x10, 1).loadClass(2, 0x20, 2);
		b.startHeapDump().classDump(0x10, 0x20, 0, ObjectLayout.INT).classDump(0x20, 0x10, 0)
			.instance(0x30, 0x10, 4).endHeapDump(0x1C).heapDumpEnd();
		assertFails(b.bytes(), "Superclass cycle");
	}

	@Test
	void neverFailsOtherwiseOnRandomDamage() {
		// Every kind of damage in a few thousand mutated files: a result or an HprofFormatException,
		// never another exception, a hang or an OutOfMemoryError.
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
			Random random = new Random(20261124);
			byte[] whole = sample(4);
			Path file = write(whole);
			int failures = 0;
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			for (int n = 0; n < 2000; n++) {
				byte[] damaged = whole.clone();
				for (int k = 0; k <= n % 3; k++) {
					damaged[32 + random.nextInt(damaged.length - 32)] = (byte) random.nextInt(256);
				}
				channel.write(ByteBuffer.wrap(damaged), 0);
				try {
					HprofHistogram.read(file, COMPRESSED);
				}
				catch (HprofFormatException ex) {
					failures++;
				}
				catch (Throwable ex) {
					fail("mutation " + n + " failed with " + ex, ex);
				}
			}
			}
			assertThat(failures).isGreaterThan(100);
		});
	}

	@Test
	void twoThreadsGiveTheSameRowsAndTheSameErrors() {
		// Segments after the first one without class dumps go to the workers: here four, the loader's
		// instance in the last. Then damaged copies: the same rows or the same error either way.
		assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
			for (int idSize : new int[] { 4, 8 }) {
				HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", idSize, TIMESTAMP);
				b.utf8(1, "java/lang/Object").utf8(2, "com/example/Point").utf8(3, "[Lcom/example/Point;")
					.utf8(4, "com/example/Loader")
					.loadClass(1, OBJECT, 1).loadClass(2, POINT, 2).loadClass(3, POINTS, 3).loadClass(4, LOADER_CLASS, 4);
				b.startHeapDump()
					.classDump(OBJECT, 0, 0)
					.classDump(LOADER_CLASS, OBJECT, 0, ObjectLayout.OBJECT)
					.classDump(POINT, OBJECT, LOADER, ObjectLayout.INT, ObjectLayout.OBJECT, ObjectLayout.INT)
					.classDump(POINTS, OBJECT, LOADER)
					.endHeapDump(0x1C);
				for (int segment = 0; segment < 5; segment++) {
					b.startHeapDump();
					for (int k = 0; k < 20; k++) {
						b.instance(0x10000 + segment * 100 + k, POINT, 8 + idSize)
							.objectArray(0x20000 + segment * 100 + k, POINTS, k % 4)
							.primitiveArray(0x30000 + segment * 100 + k, ObjectLayout.INT, k, 4);
					}
					if (segment == 4) {
						b.instance(LOADER, LOADER_CLASS, idSize);
					}
					b.endHeapDump(0x1C);
				}
				byte[] whole = b.heapDumpEnd().bytes();
				Path file = write(whole);
				ClassHistogram sequential = HprofHistogram.read(file, COMPRESSED, Long.MAX_VALUE);
				assertThat(HprofHistogram.read(file, COMPRESSED, 0, true).rows()).isEqualTo(sequential.rows());
				assertThat(sequential.rows()).anySatisfy((row) -> assertThat(row.loader()).isEqualTo("com.example.Loader"));
				Random random = new Random(idSize);
				try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
					for (int n = 0; n < 1000; n++) {
						byte[] damaged = whole.clone();
						damaged[32 + random.nextInt(damaged.length - 32)] = (byte) random.nextInt(256);
						channel.write(ByteBuffer.wrap(damaged), 0);
						assertThat(outcome(file, 0)).as("mutation %d", n).isEqualTo(outcome(file, Long.MAX_VALUE));
					}
				}
			}
		});
	}

	@Test
	void twoThreadsReadSegmentsThatEndAnywhereInTheirBuffers() {
		// Several megabytes in segments of random sizes, so that segment ends and the ends of the threads'
		// 256 KB windows fall at every distance from each other (a record within 64 bytes of its
		// segment's end, past the window, once looped forever on two threads).
		assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
			for (int idSize : new int[] { 4, 8 }) {
				HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", idSize, TIMESTAMP);
				b.utf8(1, "java/lang/Object").utf8(2, "com/example/Point").utf8(3, "[Lcom/example/Point;")
					.loadClass(1, OBJECT, 1).loadClass(2, POINT, 2).loadClass(3, POINTS, 3);
				b.startHeapDump()
					.classDump(OBJECT, 0, 0)
					.classDump(POINT, OBJECT, 0, ObjectLayout.INT, ObjectLayout.OBJECT, ObjectLayout.INT)
					.classDump(POINTS, OBJECT, 0)
					.endHeapDump(0x1C);
				Random random = new Random(idSize);
				long id = 0x10000;
				long points = 0;
				long arrays = 0;
				long ints = 0;
				for (int segment = 0; segment < 300; segment++) {
					b.startHeapDump();
					int records = 1 + random.nextInt(2000);
					for (int k = 0; k < records; k++) {
						switch (random.nextInt(3)) {
							case 0 -> {
								b.instance(id++, POINT, 8 + idSize);
								points++;
							}
							case 1 -> {
								b.objectArray(id++, POINTS, random.nextInt(6));
								arrays++;
							}
							default -> {
								b.primitiveArray(id++, ObjectLayout.INT, random.nextInt(40), 4);
								ints++;
							}
						}
					}
					b.endHeapDump(0x1C);
				}
				Path file = write(b.heapDumpEnd().bytes());
				assertThat(Files.size(file)).isGreaterThan(8L << 20);
				ClassHistogram sequential = HprofHistogram.read(file, COMPRESSED, Long.MAX_VALUE);
				ClassHistogram parallel = HprofHistogram.read(file, COMPRESSED, 0, true);
				assertThat(parallel.rows()).isEqualTo(sequential.rows());
				assertThat(sequential.rows()).extracting(ClassHistogram.Row::className, ClassHistogram.Row::instances)
					.contains(tuple("com.example.Point", points), tuple("com.example.Point[]", arrays),
							tuple("int[]", ints));
			}
		});
	}

	@Test
	void aLoaderDumpedTwiceTakesTheClassOfItsFirstDumpOnTwoThreads() throws IOException {
		// A corrupt file with two instance dumps of the loader object, the first as a java.lang.Object
		// at the end of a segment, the second as a loader at the start of the next: read on one thread,
		// the first counts. On two threads the second may be decoded first: the first in the file must
		// still win.
		HprofBuilder b = new HprofBuilder("JAVA PROFILE 1.0.2", 8, TIMESTAMP);
		b.utf8(1, "java/lang/Object").utf8(2, "com/example/Point").utf8(4, "com/example/Loader")
			.loadClass(1, OBJECT, 1).loadClass(2, POINT, 2).loadClass(4, LOADER_CLASS, 4);
		b.startHeapDump()
			.classDump(OBJECT, 0, 0)
			.classDump(LOADER_CLASS, OBJECT, 0, ObjectLayout.OBJECT)
			.classDump(POINT, OBJECT, LOADER, ObjectLayout.INT)
			.endHeapDump(0x1C);
		long id = 0x10000;
		for (int segment = 0; segment < 16; segment++) {
			b.startHeapDump();
			if (segment == 10) {
				b.instance(LOADER, LOADER_CLASS, 8);
			}
			for (int k = 0; k < 200; k++) {
				b.instance(id++, POINT, 4);
			}
			if (segment == 9) {
				b.instance(LOADER, OBJECT, 0);
			}
			b.endHeapDump(0x1C);
		}
		Path file = write(b.heapDumpEnd().bytes());
		ClassHistogram sequential = HprofHistogram.read(file, COMPRESSED, Long.MAX_VALUE);
		assertThat(sequential.rows()).anySatisfy((row) -> {
			assertThat(row.className()).isEqualTo("com.example.Point");
			assertThat(row.loader()).isEqualTo("java.lang.Object");
		});
		for (int n = 0; n < 20; n++) {
			assertThat(HprofHistogram.read(file, COMPRESSED, 0, true).rows()).isEqualTo(sequential.rows());
		}
	}

	private static Object outcome(Path file, long parallelFrom) throws IOException {
		try {
			return HprofHistogram.read(file, COMPRESSED, parallelFrom).rows();
		}
		catch (HprofFormatException ex) {
			return ex.getMessage();
		}
	}

	private void assertFails(byte[] bytes, String message) throws IOException {
		Path file = write(bytes);
		assertThatExceptionOfType(HprofFormatException.class).isThrownBy(() -> HprofHistogram.read(file, COMPRESSED))
			.withMessageContaining(message)
			.withMessageContaining("at file offset");
	}

	private Path write(byte[] bytes) throws IOException {
		Path file = Files.createTempFile(this.dir, "test", ".hprof");
		Files.write(file, bytes);
		return file;
	}

}
