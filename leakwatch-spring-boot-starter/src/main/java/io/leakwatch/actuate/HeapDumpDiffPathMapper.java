package io.leakwatch.actuate;

import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMapper;

/**
 * Serves {@link HeapDumpDiffEndpoint} at {@code heapdump-diff}: an endpoint id with a dash makes Spring
 * Boot log an "invalid characters" warning at start-up, a path mapping does not. A mapping the user
 * sets ({@code management.endpoints.web.path-mapping.heapdumpDiff}) wins.
 */
public final class HeapDumpDiffPathMapper implements PathMapper {

	private static final EndpointId ENDPOINT = EndpointId.of(HeapDumpDiffEndpoint.ID);

	private final Supplier<Map<String, String>> userMappings;

	/**
	 * Creates the mapper.
	 * @param userMappings the user's {@code management.endpoints.web.path-mapping} entries
	 */
	public HeapDumpDiffPathMapper(Supplier<Map<String, String>> userMappings) {
		this.userMappings = userMappings;
	}

	@Override
	public @Nullable String getRootPath(EndpointId endpointId) {
		if (!ENDPOINT.equals(endpointId)) {
			return null;
		}
		for (String key : this.userMappings.get().keySet()) {
			if (ENDPOINT.equals(EndpointId.fromPropertyValue(key))) {
				return null;
			}
		}
		return HeapDumpDiffEndpoint.PATH;
	}

}
