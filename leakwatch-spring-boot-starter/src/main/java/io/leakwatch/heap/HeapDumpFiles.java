package io.leakwatch.heap;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;

import io.leakwatch.core.Sizes;

/**
 * Writes live heap dumps safely: one at a time, only when the disk has room for one, into a directory
 * only this process's user can read, never leaving a partial file behind; and deletes them all on
 * close. Heap dumps hold every secret the application had in memory.
 */
public final class HeapDumpFiles implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(HeapDumpFiles.class.getName());

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> OWNER_ONLY_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE);

	private static final String SUFFIX = ".hprof";

	private static final String PARTIAL_SUFFIX = ".partial" + SUFFIX;

	private final Path directory;

	private final long reserveBytes;

	private final HeapDumper dumper;

	private final LongSupplier heapUsed;

	private final ReentrantLock lock = new ReentrantLock();

	/** Whether this instance has made the directory its own (guarded by {@link #lock}). */
	private boolean prepared;

	/**
	 * Creates the writer; the directory is created on the first dump.
	 * @param parent where the dump directory is created ({@code leakwatch-heapdumps-<pid>} inside it)
	 * @param reserveBytes disk space that must stay free after a dump as large as the heap in use
	 * @param dumper writes one dump
	 * @param heapUsed the heap in use now, in bytes: a live dump is at most about that large
	 */
	public HeapDumpFiles(Path parent, long reserveBytes, HeapDumper dumper, LongSupplier heapUsed) {
		this.directory = parent.toAbsolutePath().resolve("leakwatch-heapdumps-" + ProcessHandle.current().pid());
		this.reserveBytes = reserveBytes;
		this.dumper = dumper;
		this.heapUsed = heapUsed;
	}

	/**
	 * The writer for this JVM: {@link HotSpotDiagnosticMXBean#dumpHeap} of live objects.
	 * @param parent where the dump directory is created
	 * @param reserveBytes disk space that must stay free after a dump
	 * @return the writer
	 */
	public static HeapDumpFiles hotSpot(Path parent, long reserveBytes) {
		return new HeapDumpFiles(parent, reserveBytes, HeapDumper.hotSpot(),
				() -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
	}

	/** The directory dumps go to. */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Writes a live heap dump named {@code <name>.hprof}, readable by the owner only.
	 * @param name the file's name without suffix
	 * @return the file
	 * @throws HeapDiffException BUSY when another dump is being written, NO_SPACE when the disk is too
	 * full, UNAVAILABLE when this JVM cannot dump, FAILED when the dump fails
	 */
	public Path dump(String name) {
		boolean locked;
		try {
			locked = this.lock.tryLock(500, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			locked = false;
		}
		if (!locked) {
			throw new HeapDiffException(HeapDiffException.Reason.BUSY,
					"Another heap dump is being written; try again when it is done");
		}
		try {
			prepareDirectory();
			checkSpace();
			Path partial = this.directory.resolve(name + PARTIAL_SUFFIX);
			Path file = this.directory.resolve(name + SUFFIX);
			try {
				Files.deleteIfExists(partial);
				this.dumper.dumpHeap(partial);
				restrict(partial, OWNER_ONLY_FILE);
				move(partial, file);
				return file;
			}
			catch (IOException | RuntimeException ex) {
				deleteQuietly(partial);
				if (ex instanceof HeapDiffException diffException) {
					throw diffException;
				}
				throw new HeapDiffException(HeapDiffException.Reason.FAILED,
						"Could not write a heap dump to " + this.directory + ": " + ex.getMessage(), ex);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Deletes a dump, logging rather than throwing when it cannot.
	 * @param file the dump
	 */
	public void delete(Path file) {
		deleteQuietly(file);
	}

	/** Deletes every dump and the directory. */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (Files.isDirectory(this.directory)) {
				deleteDumpsIn(this.directory);
				deleteQuietly(this.directory);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void prepareDirectory() throws HeapDiffException {
		try {
			if (!Files.isDirectory(this.directory)) {
				Files.createDirectories(this.directory.getParent());
				if (supportsPosix(this.directory.getParent())) {
					Files.createDirectory(this.directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
				}
				else {
					Files.createDirectory(this.directory);
				}
			}
			else if (!this.prepared) {
				// Left by an earlier process with the same pid: its dumps are ours to delete.
				deleteDumpsIn(this.directory);
			}
			restrict(this.directory, OWNER_ONLY_DIRECTORY);
			this.prepared = true;
		}
		catch (IOException ex) {
			throw new HeapDiffException(HeapDiffException.Reason.FAILED,
					"Cannot create the heap dump directory " + this.directory + ": " + ex.getMessage(), ex);
		}
	}

	private void checkSpace() {
		long usable;
		try {
			FileStore store = Files.getFileStore(this.directory);
			usable = store.getUsableSpace();
		}
		catch (IOException ex) {
			throw new HeapDiffException(HeapDiffException.Reason.FAILED,
					"Cannot read free space of " + this.directory + ": " + ex.getMessage(), ex);
		}
		long heap = this.heapUsed.getAsLong();
		long needed = saturatedAdd(heap, this.reserveBytes);
		if (usable < needed) {
			throw new HeapDiffException(HeapDiffException.Reason.NO_SPACE,
					"Not enough free disk for a heap dump in " + this.directory + ": " + Sizes.bytes(usable)
							+ " free, a dump needs up to " + Sizes.bytes(heap) + " (the heap in use) and "
							+ Sizes.bytes(this.reserveBytes)
							+ " must stay free (leakwatch.heapdump-diff.min-free-disk)");
		}
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (((a ^ sum) & (b ^ sum)) < 0) ? Long.MAX_VALUE : sum;
	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static boolean supportsPosix(Path path) throws IOException {
		return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
	}

	private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
		if (supportsPosix(path)) {
			Files.setPosixFilePermissions(path, permissions);
		}
	}

	private static void deleteDumpsIn(Path directory) {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
			for (Path file : files) {
				deleteQuietly(file);
			}
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, "Could not list heap dumps in " + directory, ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, "Could not delete " + file + ": " + ex.getMessage());
		}
	}

	/** Writes one live heap dump; the seam between the dump policy and the JVM. */
	@FunctionalInterface
	public interface HeapDumper {

		/**
		 * Writes a live heap dump.
		 * @param file the file to write; its name ends in {@code .hprof} and it does not exist
		 * @throws IOException when the dump fails
		 */
		void dumpHeap(Path file) throws IOException;

		/**
		 * The HotSpot dumper.
		 * @return a dumper using {@link HotSpotDiagnosticMXBean}
		 * @throws HeapDiffException UNAVAILABLE on a JVM without it
		 */
		static HeapDumper hotSpot() {
			return (file) -> {
				HotSpotDiagnosticMXBean bean;
				try {
					bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
				}
				catch (IllegalArgumentException ex) {
					bean = null;
				}
				if (bean == null) {
					throw new HeapDiffException(HeapDiffException.Reason.UNAVAILABLE,
							"This JVM has no HotSpotDiagnosticMXBean, so it cannot write heap dumps");
				}
				bean.dumpHeap(file.toString(), true);
			};
		}

	}

}
