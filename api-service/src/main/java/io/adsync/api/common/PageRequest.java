package io.adsync.api.common;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** {@code ?page=0&size=20}: zero-based page number and page size (1 to 500). */
public class PageRequest {

    public static final int MAX_SIZE = 500;

    @QueryParam("page")
    @Parameter(description = "Zero-based page number", example = "0", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    String page;

    @QueryParam("size")
    @Parameter(description = "Page size, 1 to 500", example = "20", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "20"))
    String size;

    public int page() {
        return QueryParams.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
    }

    public int size() {
        return QueryParams.integer("size", size, 20, 1, MAX_SIZE);
    }
}
