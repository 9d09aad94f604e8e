package io.leakwatch.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Safe dump files: real dumps of this JVM, and failures made by a dumper that fails on purpose. */
class HeapDumpFilesTests {

	@TempDir
	Path parent;

	@Test
	void aRealDumpIsOwnerOnlyAndGoneOnClose() throws IOException {
		HeapDumpFiles files = HeapDumpFiles.hotSpot(this.parent, 0);
		Path dump = files.dump("one");
		assertThat(dump.getFileName().toString()).isEqualTo("one.hprof");
		assertThat(new String(readStart(dump))).startsWith("JAVA PROFILE 1.0.2");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.directory())))
			.isEqualTo("rwx------");
		files.close();
		assertThat(dump).doesNotExist();
		assertThat(files.directory()).doesNotExist();
	}

	@Test
	void aFailedDumpLeavesNoPartialFile() {
		HeapDumpFiles files = new HeapDumpFiles(this.parent, 0, (file) -> {
			Files.write(file, new byte[] { 'J', 'A', 'V', 'A' });
			throw new IOException("No space left on device");
		}, () -> 0);
		assertThatThrownBy(() -> files.dump("two")).isInstanceOf(HeapDiffException.class)
			.hasMessageContaining("No space left on device")
			.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(500));
		assertThat(files.directory()).isEmptyDirectory();
	}

	@Test
	void refusesWhenTheDiskIsTooFull() {
		HeapDumpFiles files = new HeapDumpFiles(this.parent, Long.MAX_VALUE / 2, (file) -> {
			throw new AssertionError("must not dump");
		}, () -> Long.MAX_VALUE / 2);
		assertThatThrownBy(() -> files.dump("three")).isInstanceOf(HeapDiffException.class)
			.hasMessageContaining("Not enough free disk for a heap dump")
			.hasMessageContaining("leakwatch.heapdump-diff.min-free-disk")
			.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(507));
	}

	@Test
	void oneDumpAtATime() throws Exception {
		CountDownLatch writing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		HeapDumpFiles files = new HeapDumpFiles(this.parent, 0, (file) -> {
			writing.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Files.write(file, new byte[] { 1 });
		}, () -> 0);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Path> first = executor.submit(() -> files.dump("first"));
			assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatThrownBy(() -> files.dump("second")).isInstanceOf(HeapDiffException.class)
				.hasMessageContaining("Another heap dump is being written")
				.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(429));
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS)).exists();
		}
		finally {
			executor.shutdownNow();
			files.close();
		}
	}

	private static byte[] readStart(Path file) throws IOException {
		try (var in = Files.newInputStream(file)) {
			return in.readNBytes(18);
		}
	}

}
