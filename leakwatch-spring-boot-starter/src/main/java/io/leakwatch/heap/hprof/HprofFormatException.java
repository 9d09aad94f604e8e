package io.leakwatch.heap.hprof;

import java.io.IOException;

/**
 * Thrown when a file is not a heap dump this parser can read (truncated, corrupt or of an unsupported
 * version), so callers get one clear message naming the file offset instead of a stack trace from deep
 * inside the decoder.
 */
public class HprofFormatException extends IOException {

	private static final long serialVersionUID = 1L;

	private final long offset;

	/**
	 * @param message what was expected and what was found
	 * @param offset the file offset where the problem was found
	 */
	public HprofFormatException(String message, long offset) {
		super(message + " (at file offset " + offset + ")");
		this.offset = offset;
	}

	/** The file offset where the problem was found. */
	public long getOffset() {
		return this.offset;
	}

}
