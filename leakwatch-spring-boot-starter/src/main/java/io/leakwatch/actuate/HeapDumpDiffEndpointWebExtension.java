package io.leakwatch.actuate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.leakwatch.heap.HeapDiffException;
import io.leakwatch.heap.HeapDumpDiffs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * {@link HeapDumpDiffEndpoint} over HTTP: refusals as status codes (404, 400, 429, 507, 503) with a
 * message, and the dumps themselves for download ({@code GET /{id}/before}, {@code /{id}/after}) to
 * open in Eclipse MAT or VisualVM, as Spring Boot's {@code heapdump} endpoint serves its dump.
 */
@EndpointWebExtension(endpoint = HeapDumpDiffEndpoint.class)
public class HeapDumpDiffEndpointWebExtension {

	private final HeapDumpDiffEndpoint delegate;

	private final HeapDumpDiffs diffs;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 * @param diffs the diffs whose dumps it serves
	 */
	public HeapDumpDiffEndpointWebExtension(HeapDumpDiffEndpoint delegate, HeapDumpDiffs diffs) {
		this.delegate = delegate;
		this.diffs = diffs;
	}

	@ReadOperation
	public HeapDumpDiffEndpoint.DiffsDescriptor diffs() {
		return this.delegate.diffs();
	}

	@WriteOperation
	public WebEndpointResponse<Object> startDiff() {
		return ErrorDescriptor.respond(this.delegate::startDiff);
	}

	@DeleteOperation
	public WebEndpointResponse<Object> endDiff(@Selector String id, @Nullable Integer top,
			@Nullable Long minSizeBytes, @Nullable Boolean keepFiles) {
		return ErrorDescriptor.respond(() -> this.delegate.endDiff(id, top, minSizeBytes, keepFiles));
	}

	/**
	 * Downloads one of a diff's dumps.
	 * @param id the diff's id
	 * @param which {@code before} or {@code after}
	 * @return the {@code .hprof} file
	 */
	@ReadOperation(produces = "application/octet-stream")
	public WebEndpointResponse<Resource> dump(@Selector String id, @Selector String which) {
		try {
			Path file = this.diffs.file(id, which);
			return new WebEndpointResponse<>(new FileSystemResource(file), WebEndpointResponse.STATUS_OK);
		}
		catch (HeapDiffException ex) {
			// Plain bytes, since the operation produces octet-stream; curl shows them.
			byte[] message = (ex.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
			return new WebEndpointResponse<>(new ByteArrayResource(message), ex.reason().status());
		}
	}

}
