package io.leakwatch.metrics;

import java.util.function.ToDoubleFunction;

import io.leakwatch.core.HeapStats;
import io.leakwatch.core.LeakDetector;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * memwatch's stats as Micrometer meters, under {@code leakwatch.}. The meters read the detector's
 * current stats when scraped; the gauges hold a strong reference to the detector.
 */
public final class LeakwatchMetrics implements MeterBinder {

	private final LeakDetector detector;

	private final Tags tags;

	/**
	 * Creates a binder.
	 * @param detector the detector to read
	 * @param tags tags added to every meter
	 */
	public LeakwatchMetrics(LeakDetector detector, Iterable<Tag> tags) {
		this.detector = detector;
		this.tags = Tags.of(tags);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		bytes(registry, "leakwatch.heap.base.current", "Live heap after the last old-generation collection (the base)",
				HeapStats::currentBase);
		bytes(registry, "leakwatch.heap.base.estimated",
				"Exponential moving average of the base over the last 10 samples", HeapStats::estimatedBase);
		bytes(registry, "leakwatch.heap.base.min", "Smallest base seen from the third sample on",
				(stats) -> (stats.min() < 0) ? Double.NaN : stats.min());
		bytes(registry, "leakwatch.heap.base.max", "Largest base seen from the third sample on",
				(stats) -> (stats.max() < 0) ? Double.NaN : stats.max());
		Gauge.builder("leakwatch.heap.usage.trend", this.detector, (d) -> d.stats().usageTrend())
			.description("How far the 10-sample base average lies above (or below, negative) the 120-sample one")
			.baseUnit(BaseUnits.PERCENT)
			.tags(this.tags)
			.register(registry);
		Gauge.builder("leakwatch.leak.suspected", this.detector, (d) -> d.isSuspected() ? 1 : 0)
			.description("1 while a leak is suspected (reported, and the base grew within clear-after), else 0")
			.tags(this.tags)
			.register(registry);
		FunctionCounter.builder("leakwatch.leaks", this.detector, LeakDetector::leakCount)
			.description("Leaks detected (LeakDetectedEvent)")
			.tags(this.tags)
			.register(registry);
		counter(registry, "leakwatch.gc.full", "Collections that examined the old generation", HeapStats::numFullGc);
		counter(registry, "leakwatch.gc.incremental", "Young (incremental) collections", HeapStats::numIncGc);
		counter(registry, "leakwatch.heap.compactions", "Old-generation collections that moved objects",
				HeapStats::heapCompactions);
		counter(registry, "leakwatch.heap.base.samples", "Base samples taken", HeapStats::baseSamples);
	}

	private void bytes(MeterRegistry registry, String name, String description, ToDoubleFunction<HeapStats> value) {
		Gauge.builder(name, this.detector, (d) -> value.applyAsDouble(d.stats()))
			.description(description)
			.baseUnit(BaseUnits.BYTES)
			.tags(this.tags)
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToDoubleFunction<HeapStats> value) {
		FunctionCounter.builder(name, this.detector, (d) -> value.applyAsDouble(d.stats()))
			.description(description)
			.tags(this.tags)
			.register(registry);
	}

}
