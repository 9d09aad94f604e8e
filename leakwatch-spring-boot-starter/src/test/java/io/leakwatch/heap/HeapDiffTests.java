package io.leakwatch.heap;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeapDiffTests {

	private static final ClassHistogram BEFORE = new ClassHistogram(List.of(row("a.Grows", 10, 160),
			row("a.Shrinks", 100, 1600), row("a.Same", 5, 80), row("byte[]", 3, 3000)), 1_000);

	private static final ClassHistogram AFTER = new ClassHistogram(List.of(row("a.Grows", 1010, 16160),
			row("a.Shrinks", 40, 640), row("a.Same", 5, 80), row("byte[]", 3, 3096), row("a.New", 7, 112)), 2_000);

	@Test
	void rowsAreSortedByGrowthWithNetInstances() {
		HeapDiff diff = HeapDiff.between("x", "class-histogram", false, BEFORE, AFTER, DiffQuery.of(null, null));
		List<HeapDiff.Detail> details = diff.change().details();
		assertThat(details).extracting(HeapDiff.Detail::what)
			.containsExactly("a.Grows", "a.New", "byte[]", "a.Shrinks");
		assertThat(details.get(0)).isEqualTo(new HeapDiff.Detail("a.Grows", "a.Grows", 16000, "15.63 kb", 1000, 0, 10, 1010));
		assertThat(details.get(2).added()).isZero();
		assertThat(details.get(2).removed()).isZero();
		assertThat(details.get(3).removed()).isEqualTo(60);
		assertThat(diff.change().addedNodes()).isEqualTo(1007);
		assertThat(diff.change().removedNodes()).isEqualTo(60);
		assertThat(diff.change().sizeBytes()).isEqualTo(AFTER.totalBytes() - BEFORE.totalBytes());
		assertThat(diff.before().nodes()).isEqualTo(118);
		assertThat(diff.after().time().toEpochMilli()).isEqualTo(2_000);
	}

	@Test
	void topAndMinSizeHideNoise() {
		HeapDiff diff = HeapDiff.between("x", "class-histogram", false, BEFORE, AFTER, DiffQuery.of(1, 500L));
		assertThat(diff.change().details()).extracting(HeapDiff.Detail::what).containsExactly("a.Grows");
		assertThat(diff.change().classesChanged()).isEqualTo(2);
	}

	@Test
	void sameNamedClassesFromDifferentLoadersAreToldApart() {
		ClassHistogram before = new ClassHistogram(List.of(new ClassHistogram.Row("a.X", "LoaderA", 1, 16),
				new ClassHistogram.Row("a.X", "LoaderB", 1, 16)), 0);
		ClassHistogram after = new ClassHistogram(List.of(new ClassHistogram.Row("a.X", "LoaderA", 1, 16),
				new ClassHistogram.Row("a.X", "LoaderB", 5, 80)), 0);
		HeapDiff diff = HeapDiff.between("x", "heap-dump", true, before, after, DiffQuery.of(null, null));
		assertThat(diff.change().details()).singleElement()
			.satisfies((detail) -> assertThat(detail.what()).isEqualTo("a.X (LoaderB)"));
	}

	@Test
	void badParametersAreRefused() {
		assertThatThrownBy(() -> DiffQuery.of(0, null)).isInstanceOf(HeapDiffException.class)
			.hasMessageContaining("top must be between 1 and")
			.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(400));
		assertThatThrownBy(() -> DiffQuery.of(null, -1L)).hasMessageContaining("minSizeBytes must be 0 or more");
	}

	@Test
	void classNamesReadLikeSource() {
		assertThat(ClassNames.readable("[B")).isEqualTo("byte[]");
		assertThat(ClassNames.readable("[[Ljava/lang/Object;")).isEqualTo("java.lang.Object[][]");
		assertThat(ClassNames.readable("[Ljava.lang.String;")).isEqualTo("java.lang.String[]");
		assertThat(ClassNames.readable("java/util/HashMap$Node")).isEqualTo("java.util.HashMap$Node");
		assertThat(ClassNames.readable("int")).isEqualTo("int");
		assertThat(ClassNames.readable("a.B$$Lambda$14/0x0000000800c0b440")).isEqualTo("a.B$$Lambda$14/0x0000000800c0b440");
		assertThat(ClassNames.readable("[La.B$$Lambda$14/0x0000000800c0b440;")).isEqualTo("a.B$$Lambda$14/0x0000000800c0b440[]");
	}

	@Test
	void aPackedHistogramUnpacksToTheSameRows() {
		ClassHistogram histogram = new ClassHistogram(List.of(new ClassHistogram.Row("a.X", "LoaderA", 1, 16),
				new ClassHistogram.Row("a.X", null, 2, 32), new ClassHistogram.Row("\u00e9t\u00e9.\uD83D\uDE00", null, 3, 48)), 42);
		assertThat(PackedHistogram.pack(histogram).unpack()).isEqualTo(histogram);
	}

	private static ClassHistogram.Row row(String name, long instances, long bytes) {
		return new ClassHistogram.Row(name, null, instances, bytes);
	}

}
