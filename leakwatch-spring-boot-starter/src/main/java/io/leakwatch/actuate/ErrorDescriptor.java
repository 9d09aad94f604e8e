package io.leakwatch.actuate;

import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.leakwatch.heap.HeapDiffException;

/**
 * The body of a refused diff request: the status again and a message that says what to do, never a
 * stack trace.
 *
 * @param status the HTTP status
 * @param error the status's reason phrase
 * @param message what went wrong and what to do
 */
public record ErrorDescriptor(int status, String error, String message) {

	/**
	 * Runs an operation for HTTP: its result with 200, or a refusal as its status and message.
	 * @param operation the endpoint's operation
	 * @return the response
	 */
	static WebEndpointResponse<Object> respond(Supplier<Object> operation) {
		try {
			return new WebEndpointResponse<>(operation.get(), WebEndpointResponse.STATUS_OK);
		}
		catch (HeapDiffException ex) {
			return response(ex);
		}
	}

	static WebEndpointResponse<Object> response(HeapDiffException ex) {
		int status = ex.reason().status();
		return new WebEndpointResponse<>(new ErrorDescriptor(status, phrase(status), ex.getMessage()), status);
	}

	private static String phrase(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 404 -> "Not Found";
			case 429 -> "Too Many Requests";
			case 503 -> "Service Unavailable";
			case 507 -> "Insufficient Storage";
			default -> "Internal Server Error";
		};
	}

}
