package io.leakwatch.heap;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JVM's own live class histogram ({@code jcmd <pid> GC.class_histogram}), taken in-process through
 * the {@code DiagnosticCommand} MBean: no {@code jcmd} process, no attach, and exact shallow sizes.
 *
 * <p>A live histogram first runs a full, stop-the-world collection (that is what makes it "live"); on
 * a large heap that pause is the histogram's cost. The histogram names classes but not their loaders,
 * so same-named classes from different loaders are one row here; heap-dump diffs tell them apart.
 */
public final class LiveHistogram {

	private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

	// "   1:         15948        1080296  [B (java.base@17.0.15)"; the module is absent for the unnamed one.
	private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

	private LiveHistogram() {
	}

	/**
	 * Takes a live histogram of this JVM.
	 * @return the histogram
	 * @throws HeapDiffException UNAVAILABLE when this JVM has no diagnostic command MBean, FAILED when
	 * the command fails
	 */
	public static ClassHistogram take() {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		long time = System.currentTimeMillis();
		Object output;
		try {
			output = server.invoke(new ObjectName(MBEAN), "gcClassHistogram", new Object[] { new String[0] },
					new String[] { String[].class.getName() });
		}
		catch (InstanceNotFoundException ex) {
			throw new HeapDiffException(HeapDiffException.Reason.UNAVAILABLE,
					"This JVM has no " + MBEAN + " MBean, so it cannot take class histograms", ex);
		}
		catch (JMException | RuntimeException ex) {
			throw new HeapDiffException(HeapDiffException.Reason.FAILED,
					"GC.class_histogram failed: " + ex.getMessage(), ex);
		}
		return parse(String.valueOf(output), time);
	}

	/**
	 * Reads {@code GC.class_histogram}'s text.
	 * @param text the command's output
	 * @param timestampMillis when it was taken
	 * @return the histogram
	 * @throws HeapDiffException FAILED when the text has no class rows
	 */
	public static ClassHistogram parse(String text, long timestampMillis) {
		List<ClassHistogram.Row> rows = new ArrayList<>();
		for (String line : text.split("\n")) {
			Matcher matcher = ROW.matcher(line);
			if (matcher.matches()) {
				rows.add(new ClassHistogram.Row(ClassNames.readable(matcher.group(3)), null,
						Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
			}
		}
		if (rows.isEmpty()) {
			String start = text.length() > 200 ? text.substring(0, 200) + "..." : text;
			throw new HeapDiffException(HeapDiffException.Reason.FAILED,
					"GC.class_histogram returned no class rows: " + start.strip());
		}
		return new ClassHistogram(rows, timestampMillis);
	}

}
