package io.leakwatch.corpus;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of each of this JVM's threads, JVM threads included, from Linux's
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds on a CPU), grouped by the thread's kernel name with
 * its number left out ({@code GC Thread#0} and {@code GC Thread#1} are one group). {@code ThreadMXBean} sees
 * only Java threads, and not the JVM's notification thread, which runs every GC notification listener:
 * leakwatch's cost on it is visible only from the kernel. A throughput ratio on this shared machine has an
 * interval of ±1-2 %, so a cost under 1 % cannot be read from it; the CPU that leakwatch's own threads and
 * its listener take can be, directly. Linux only; elsewhere every snapshot is empty.
 */
final class ThreadCpu {

	private ThreadCpu() {
	}

	/**
	 * CPU time of every live thread.
	 * @return nanoseconds by thread id, each with its group name
	 */
	static Map<String, Sample> snapshot() {
		Map<String, Sample> threads = new HashMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
			for (Path task : tasks) {
				try {
					String name = Files.readString(task.resolve("comm")).trim();
					String schedstat = Files.readString(task.resolve("schedstat")).trim();
					long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
					threads.put(task.getFileName().toString(), new Sample(group(name), nanos));
				}
				catch (IOException | RuntimeException ended) {
					// The thread ended while being read.
				}
			}
		}
		catch (IOException noProc) {
			return Map.of();
		}
		return threads;
	}

	/**
	 * Adds what each group used between two snapshots to {@code totals}: threads started in between count
	 * from zero; a thread that ended in between is lost, so snapshots are taken around short stretches.
	 * @param before the earlier snapshot
	 * @param after the later one
	 * @param totals nanoseconds by group, added to
	 */
	static void addDelta(Map<String, Sample> before, Map<String, Sample> after, Map<String, Long> totals) {
		after.forEach((tid, sample) -> {
			Sample earlier = before.get(tid);
			long used = sample.nanos() - ((earlier != null) ? earlier.nanos() : 0);
			totals.merge(sample.group(), used, Long::sum);
		});
	}

	/** The kernel name without its number: the kernel keeps 15 characters ({@code Notification Th}). */
	static String group(String name) {
		return name.replaceAll("[#\\-]?\\d+$", "").trim();
	}

	record Sample(String group, long nanos) {
	}

}
