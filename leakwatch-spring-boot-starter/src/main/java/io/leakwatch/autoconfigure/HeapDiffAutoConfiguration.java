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
import io.leakwatch.profile.ProfilerSettings;
import io.leakwatch.profile.SuspectSessions;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for heap diffs: histogram diffs, heap-dump diffs, the suspects named in them and
 * the diff attached to leak events. The services hold nothing and start no thread until a diff is
 * started (unless {@code leakwatch.profiler=always}).
 */
@AutoConfiguration(before = LeakwatchAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "leakwatch.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeakwatchProperties.class)
public final class HeapDiffAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SuspectSessions suspectSessions(LeakwatchProperties properties) {
		LeakwatchProperties.Suspects settings = properties.getSuspects();
		return new SuspectSessions(properties.getProfiler(), ProfilerSettings.defaults().withCutoff(settings.getCutoff()),
				settings.getClasses(), settings.getMaxSites(), settings.isContinuousStackTraces());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	HistogramDiffs histogramDiffs(LeakwatchProperties properties, SuspectSessions suspectSessions) {
		LeakwatchProperties.HistogramDiff settings = properties.getHistogramDiff();
		return new HistogramDiffs(settings.getMaxOpen(), settings.getTtl(), LiveHistogram::take, Clock.systemUTC(),
				suspectSessions);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	HeapDumpDiffs heapDumpDiffs(LeakwatchProperties properties, SuspectSessions suspectSessions) {
		LeakwatchProperties.HeapdumpDiff settings = properties.getHeapdumpDiff();
		Path parent = (settings.getDirectory() != null) ? settings.getDirectory()
				: Path.of(System.getProperty("java.io.tmpdir"));
		HeapDumpFiles files = HeapDumpFiles.hotSpot(parent, settings.getMinFreeDisk().toBytes());
		ObjectLayout layout = ObjectLayout.current();
		return new HeapDumpDiffs(files, (file) -> HprofHistogram.read(file, layout), settings.getMaxOpen(),
				settings.getTtl(), Clock.systemUTC(), suspectSessions);
	}

	@Bean
	@ConditionalOnMissingBean
	LeakDiffer leakDiffer(LeakwatchProperties properties, HistogramDiffs histogramDiffs, HeapDumpDiffs heapDumpDiffs) {
		LeakwatchProperties.LeakDiff settings = properties.getLeakDiff();
		return new LeakDiffer(settings.getMode(), settings.getWindow(), settings.getMinInterval(),
				new DiffQuery(settings.getTop(), 0), histogramDiffs, heapDumpDiffs, Clock.systemUTC());
	}

}
