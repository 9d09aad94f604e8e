package io.leakwatch.heap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.leakwatch.heap.hprof.HprofHistogram;
import io.leakwatch.heap.hprof.ObjectLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Heap-dump diffs on real dumps of this JVM, parsed by the streaming parser. */
class HeapDumpDiffsTests {

	static final List<Grower> retained = new ArrayList<>();

	@TempDir
	Path parent;

	private HeapDumpDiffs diffs;

	@AfterEach
	void close() {
		if (this.diffs != null) {
			this.diffs.close();
		}
		retained.clear();
	}

	@Test
	void theClassThatGrewTopsTheDiffAndFilesAreDeleted() throws IOException {
		this.diffs = diffs(2, Duration.ofMinutes(5));
		HeapDumpDiffs.DiffInfo open = this.diffs.start();
		Path before = this.diffs.file(open.id(), "before");
		assertThat(open.fileBytes()).isEqualTo(Files.size(before)).isPositive();
		for (int i = 0; i < 7_777; i++) {
			retained.add(new Grower(i));
		}
		HeapDiff diff = this.diffs.end(open.id(), DiffQuery.of(20, null), false);
		assertThat(diff.source()).isEqualTo("heap-dump");
		assertThat(diff.sizesEstimated()).isTrue();
		HeapDiff.Detail top = diff.change().details().stream()
			.filter((detail) -> detail.what().startsWith(Grower.class.getName())).findFirst().orElseThrow();
		assertThat(top.added()).isEqualTo(7_777);
		assertThat(top.sizeBytes()).isBetween(7_777L * 16, 7_777L * 24);
		assertThat(before).doesNotExist();
		try (var files = Files.list(this.diffs.directory())) {
			assertThat(files).isEmpty();
		}
		assertThatThrownBy(() -> this.diffs.end(open.id(), DiffQuery.of(null, null), false))
			.isInstanceOf(HeapDiffException.class).hasMessageContaining("No open heap-dump diff");
	}

	@Test
	void keptFilesCanBeDownloadedThenDiscarded() {
		this.diffs = diffs(1, Duration.ofMinutes(5));
		HeapDumpDiffs.DiffInfo open = this.diffs.start();
		assertThatThrownBy(() -> this.diffs.file(open.id(), "after")).isInstanceOf(HeapDiffException.class)
			.hasMessageContaining("has no 'after' dump");
		assertThatThrownBy(() -> this.diffs.file(open.id(), "middle")).hasMessageContaining("'before' or 'after'");
		HeapDiff diff = this.diffs.end(open.id(), DiffQuery.of(null, null), true);
		Path before = this.diffs.file(open.id(), "before");
		Path after = this.diffs.file(open.id(), "after");
		assertThat(before).exists();
		assertThat(after).exists();
		assertThat(this.diffs.list()).singleElement().satisfies((info) -> assertThat(info.state()).isEqualTo("ended"));
		assertThat(this.diffs.discardKept(open.id())).isEqualTo(diff);
		assertThat(before).doesNotExist();
		assertThat(after).doesNotExist();
		assertThat(this.diffs.list()).isEmpty();
	}

	@Test
	void anAbandonedDiffExpiresAndItsDumpIsDeleted() {
		this.diffs = diffs(1, Duration.ofMillis(400));
		HeapDumpDiffs.DiffInfo open = this.diffs.start();
		Path before = this.diffs.file(open.id(), "before");
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(before));
		assertThat(this.diffs.list()).isEmpty();
	}

	@Test
	void endingTwiceAtOnceSucceedsOnce() throws Exception {
		this.diffs = diffs(1, Duration.ofMinutes(5));
		HeapDumpDiffs.DiffInfo open = this.diffs.start();
		Callable<String> end = () -> {
			try {
				return this.diffs.end(open.id(), DiffQuery.of(null, null), false).id();
			}
			catch (HeapDiffException ex) {
				return Integer.toString(ex.reason().status());
			}
		};
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<String> first = executor.submit(end);
			Future<String> second = executor.submit(end);
			assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(open.id(), "404");
		}
		finally {
			executor.shutdownNow();
		}
		try (var files = Files.list(this.diffs.directory())) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void anUnreadableDumpIsAClearErrorAndTheDiffStaysOpen() {
		HeapDumpFiles files = HeapDumpFiles.hotSpot(this.parent, 0);
		this.diffs = new HeapDumpDiffs(files, (file) -> {
			throw new IOException("truncated at offset 42");
		}, 1, Duration.ofMinutes(5), Clock.systemUTC());
		HeapDumpDiffs.DiffInfo open = this.diffs.start();
		assertThatThrownBy(() -> this.diffs.end(open.id(), DiffQuery.of(null, null), false))
			.isInstanceOf(HeapDiffException.class).hasMessageContaining("truncated at offset 42");
		assertThat(this.diffs.list()).extracting(HeapDumpDiffs.DiffInfo::id).containsExactly(open.id());
		try (var dumps = Files.list(this.diffs.directory())) {
			assertThat(dumps).extracting((path) -> path.getFileName().toString()).containsExactly(open.id() + "-before.hprof");
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	private HeapDumpDiffs diffs(int maxOpen, Duration ttl) {
		ObjectLayout layout = ObjectLayout.current();
		return new HeapDumpDiffs(HeapDumpFiles.hotSpot(this.parent, 0), (file) -> HprofHistogram.read(file, layout),
				maxOpen, ttl, Clock.systemUTC());
	}

	record Grower(long value) {
	}

}
