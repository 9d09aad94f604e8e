package io.leakwatch.heap;

/**
 * A diff request that cannot be served, with the reason an endpoint turns into a status code (404,
 * 400, 429, 507, 503), so no caller ever sees a stack trace for a foreseeable refusal.
 */
public final class HeapDiffException extends RuntimeException {

	private final Reason reason;

	/**
	 * Creates the exception.
	 * @param reason why the request was refused
	 * @param message what the user reads
	 */
	public HeapDiffException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Creates the exception with its cause.
	 * @param reason why the request was refused
	 * @param message what the user reads
	 * @param cause what failed underneath
	 */
	public HeapDiffException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/** Why the request was refused. */
	public Reason reason() {
		return this.reason;
	}

	/** Why a diff request was refused; each maps to one HTTP status. */
	public enum Reason {

		/** No open diff (or kept file) has this id: 404. */
		NOT_FOUND(404),

		/** A parameter is out of range: 400. */
		INVALID(400),

		/** Another snapshot is being taken, or too many diffs are open: 429. */
		BUSY(429),

		/** Not enough free disk for a heap dump: 507. */
		NO_SPACE(507),

		/** This JVM cannot take the snapshot (no HotSpot diagnostic MBean): 503. */
		UNAVAILABLE(503),

		/** The snapshot failed for another reason (an I/O error, an unreadable dump): 500. */
		FAILED(500);

		private final int status;

		Reason(int status) {
			this.status = status;
		}

		/** The HTTP status that reports this reason. */
		public int status() {
			return this.status;
		}

	}

}
