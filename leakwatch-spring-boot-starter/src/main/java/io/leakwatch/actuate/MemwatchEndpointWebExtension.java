package io.leakwatch.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link MemwatchEndpoint} over HTTP: the same operations, with refusals as status codes and a
 * message (404 unknown id, 400 bad parameter, 429 busy, 503 no histogram on this JVM).
 */
@EndpointWebExtension(endpoint = MemwatchEndpoint.class)
public class MemwatchEndpointWebExtension {

	private final MemwatchEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public MemwatchEndpointWebExtension(MemwatchEndpoint delegate) {
		this.delegate = delegate;
	}

	@ReadOperation
	public MemwatchEndpoint.MemwatchDescriptor memwatch() {
		return this.delegate.memwatch();
	}

	@WriteOperation
	public WebEndpointResponse<Object> startDiff() {
		return ErrorDescriptor.respond(this.delegate::startDiff);
	}

	@DeleteOperation
	public WebEndpointResponse<Object> endDiff(@Selector String id, @Nullable Integer top,
			@Nullable Long minSizeBytes) {
		return ErrorDescriptor.respond(() -> this.delegate.endDiff(id, top, minSizeBytes));
	}

}
