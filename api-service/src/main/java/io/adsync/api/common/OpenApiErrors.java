package io.adsync.api.common;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;
import java.util.Map;

/**
 * Adds to every operation what every operation shares, so that the resources only declare what is theirs:
 * the bearer API-key requirement, and the problem+json error responses (400, 401, 403, 404, 413).
 */
public class OpenApiErrors implements OASFilter {

    private static final String PROBLEM = "application/problem+json";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        var components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSecurityScheme("apiKey", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key: Authorization: Bearer <key>. Role admin may do everything, role reader only GET."));
        components.addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, op) -> decorate(path, method, op)));
    }

    private static void decorate(String path, PathItem.HttpMethod method, Operation op) {
        op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("apiKey", List.of()));
        var responses = op.getResponses();
        boolean write = method != PathItem.HttpMethod.GET;
        boolean hasBody = op.getRequestBody() != null;
        boolean hasQuery = op.getParameters() != null && !op.getParameters().isEmpty();
        if (hasBody || hasQuery) {
            add(op, "400", "Bad input: malformed JSON, unknown enum value, or invalid fields (see violations)",
                    "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"schedule.interval: must be between PT1S and PT8784H\","
                            + "\"violations\":[{\"field\":\"schedule.interval\",\"in\":\"body\",\"message\":\"must be between PT1S and PT8784H\"}]}");
        }
        add(op, "401", "Missing or unknown API key",
                "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a valid API key is required: send Authorization: Bearer <api key>\"}");
        if (write) {
            add(op, "403", "The key's role (reader) may not write",
                    "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"the reader role may only read (GET); this needs an admin key\"}");
        }
        if (path.contains("{id}")) {
            add(op, "404", "No such resource",
                    "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"job 0b6f7a52-8d7e-4d0e-a2c1-3c5a4e0f9b11 does not exist\"}");
        }
        if (hasBody) {
            add(op, "413", "Body over 1 MiB",
                    "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"the request body is larger than 1 MiB\"}");
        }
        responses.getAPIResponses().forEach((code, r) -> {
            if (code.startsWith("4") && (r.getContent() == null || r.getContent().getMediaType(PROBLEM) == null)) {
                r.content(OASFactory.createContent().addMediaType(PROBLEM, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem"))));
            }
        });
    }

    private static void add(Operation op, String code, String description, String example) {
        if (op.getResponses().hasAPIResponse(code)) {
            return;
        }
        Example ex = OASFactory.createExample().value(example);
        APIResponse r = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(PROBLEM, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem")).examples(Map.of("example", ex))));
        op.getResponses().addAPIResponse(code, r);
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema violation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("in", string).addProperty("message", string);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", string).addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string).addProperty("instance", string)
                .addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(violation));
    }

}
