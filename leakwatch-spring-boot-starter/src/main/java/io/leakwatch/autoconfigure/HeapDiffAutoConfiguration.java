package io.leakwatch.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;

import io.leakwatch.heap.DiffQuery;
import io.leakwatch.heap.HeapDumpDiffs;
import io.leakwatch.heap.HeapDumpFiles;
import io.leakwatch.heap.HistogramDiffs;
import io.leakwatch.heap.LeakDiffer;
import io.leakwatch.heap.LiveHistogram;
import io.leakwatch.heap.hprof.HprofHistogram;
import io.leakwatch.heap.hprof.ObjectLayout;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for heap diffs: histogram diffs, heap-dump diffs and the diff attached to leak
 * events. The services hold nothing and start no thread until a diff is started.
 */
@AutoConfiguration(before = LeakwatchAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "leakwatch.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeakwatchProperties.class)
public final class HeapDiffAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	HistogramDiffs histogramDiffs(LeakwatchProperties properties) {
		LeakwatchProperties.HistogramDiff settings = properties.getHistogramDiff();
		return new HistogramDiffs(settings.getMaxOpen(), settings.getTtl(), LiveHistogram::take, Clock.systemUTC());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	HeapDumpDiffs heapDumpDiffs(LeakwatchProperties properties) {
		LeakwatchProperties.HeapdumpDiff settings = properties.getHeapdumpDiff();
		Path parent = (settings.getDirectory() != null) ? settings.getDirectory()
				: Path.of(System.getProperty("java.io.tmpdir"));
		HeapDumpFiles files = HeapDumpFiles.hotSpot(parent, settings.getMinFreeDisk().toBytes());
		ObjectLayout layout = ObjectLayout.current();
		return new HeapDumpDiffs(files, (file) -> HprofHistogram.read(file, layout), settings.getMaxOpen(),
				settings.getTtl(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	LeakDiffer leakDiffer(LeakwatchProperties properties, HistogramDiffs histogramDiffs, HeapDumpDiffs heapDumpDiffs) {
		LeakwatchProperties.LeakDiff settings = properties.getLeakDiff();
		return new LeakDiffer(settings.getMode(), settings.getWindow(), settings.getMinInterval(),
				new DiffQuery(settings.getTop(), 0), histogramDiffs, heapDumpDiffs, Clock.systemUTC());
	}

}
