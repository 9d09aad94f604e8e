package io.leakwatch.corpus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one line a {@link CorpusProgram} child printed: a kind ({@code READY}, {@code SAMPLE}, ...) and
 * {@code key=value} fields, for the runner and for {@code io.leakwatch.core.RuleReplay}.
 */
public final class CorpusLine {

	private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

	private CorpusLine() {
	}

	/** The line's first word. */
	public static String kind(String line) {
		return line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
	}

	/** The line's fields, in order. */
	public static Map<String, String> fields(String line) {
		Map<String, String> fields = new LinkedHashMap<>();
		// reason= is free text and comes last; only the key=value pairs before it matter here.
		int reason = line.indexOf(" reason=");
		Matcher matcher = FIELD.matcher((reason >= 0) ? line.substring(0, reason) : line);
		while (matcher.find()) {
			fields.put(matcher.group(1), matcher.group(2));
		}
		return fields;
	}

}
