package io.adsync.api.common;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The published OpenAPI document describes every endpoint, its auth and its errors. */
@QuarkusTest
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private JsonPath doc;

    @BeforeEach
    void fetch() {
        doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void listsEveryPath() {
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths).containsOnlyKeys("/domains", "/domains/{id}", "/domains/{id}/test", "/jobs", "/jobs/{id}", "/jobs/{id}/runs", "/runs/{id}",
                "/runs/{id}/cancel", "/job-servers", "/job-servers/{id}", "/accounts", "/accounts/{id}", "/accounts/{id}/groups", "/accounts/{id}/reports", "/groups",
                "/groups/{id}", "/groups/{id}/members");
    }

    @Test
    void listsEveryOperation() {
        assertThat(operations()).extracting(Op::name).containsExactlyInAnyOrder(
                "GET /domains", "POST /domains", "GET /domains/{id}", "PUT /domains/{id}", "DELETE /domains/{id}", "POST /domains/{id}/test",
                "GET /jobs", "POST /jobs", "GET /jobs/{id}", "PUT /jobs/{id}", "DELETE /jobs/{id}",
                "GET /jobs/{id}/runs", "POST /jobs/{id}/runs", "GET /runs/{id}", "POST /runs/{id}/cancel",
                "GET /job-servers", "POST /job-servers", "GET /job-servers/{id}", "PATCH /job-servers/{id}", "DELETE /job-servers/{id}",
                "GET /accounts", "GET /accounts/{id}", "GET /accounts/{id}/groups", "GET /accounts/{id}/reports", "GET /groups", "GET /groups/{id}",
                "GET /groups/{id}/members");
    }

    @Test
    void everyOperationHasASummary() {
        for (Op op : operations()) {
            assertThat((String) op.body().get("summary")).as(op.name()).isNotBlank();
        }
    }

    @Test
    void everyOperationDocuments401AndTheBearerRequirement() {
        for (Op op : operations()) {
            assertThat(op.responses()).as(op.name()).containsKey("401");
            assertThat(op.body().get("security")).as(op.name() + " security").asString().contains("apiKey");
        }
    }

    @Test
    void theBearerSecuritySchemeExists() {
        assertThat(doc.getString("components.securitySchemes.apiKey.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.apiKey.scheme")).isEqualTo("bearer");
    }

    @Test
    void everyWriteWithABodyDocuments400And413() {
        List<Op> writes = operations().stream().filter(op -> op.body().containsKey("requestBody")).toList();
        assertThat(writes).extracting(Op::name).contains("POST /domains", "PUT /domains/{id}", "POST /jobs", "PUT /jobs/{id}",
                "POST /jobs/{id}/runs", "POST /job-servers", "PATCH /job-servers/{id}");
        for (Op op : writes) {
            assertThat(op.responses()).as(op.name()).containsKeys("400", "413");
        }
    }

    @Test
    void everyWriteDocuments403() {
        for (Op op : operations()) {
            if (!op.method().equals("get")) {
                assertThat(op.responses()).as(op.name()).containsKey("403");
            }
        }
    }

    @Test
    void everyListDocuments400ForBadPaging() {
        for (String path : List.of("/domains", "/jobs", "/jobs/{id}/runs", "/job-servers", "/accounts", "/groups",
                "/groups/{id}/members", "/accounts/{id}/groups")) {
            assertThat(doc.getMap("paths.'" + path + "'.get.responses")).as(path).containsKey("400");
        }
    }

    @Test
    void errorsAreDocumentedAsProblemJson() {
        for (Op op : operations()) {
            op.responses().forEach((code, response) -> {
                if (code.startsWith("4")) {
                    assertThat(response).as(op.name() + " " + code).asString().contains("application/problem+json");
                }
            });
        }
        assertThat(doc.getMap("components.schemas.Problem.properties")).containsKeys("type", "title", "status", "detail", "violations");
    }

    @Test
    void theDomainSchemaNeverHasThePassword() {
        assertThat(doc.getMap("components.schemas.Domain.properties")).containsKey("bindPasswordSet").doesNotContainKey("bindPassword");
        assertThat(doc.getBoolean("components.schemas.DomainRequest.properties.bindPassword.writeOnly")).isTrue();
    }

    @Test
    void theConnectionTestIsDocumentedAsRunningInTheApi() {
        String op = "paths.'/domains/{id}/test'.post";
        assertThat(doc.getString(op + ".description")).contains("API process");
        assertThat(doc.getMap(op + ".responses.'200'.content.'application/json'.examples")).containsKeys("ok", "wrong password");
        assertThat(doc.getMap("components.schemas.ConnectionTest.properties")).containsOnlyKeys("ok", "category", "message", "url",
                "dnsHostName", "defaultNamingContext", "baseDnFound", "durationMs", "unknownAttributes");
    }

    @Test
    void theGroupEndpointsHaveExamplesAndDocumentEffectiveMembership() {
        assertThat(doc.getMap("paths.'/groups'.get.responses.'200'.content.'application/json'.examples")).containsKey("groups");
        assertThat(doc.getMap("paths.'/groups/{id}'.get.responses.'200'.content.'application/json'.examples")).containsKey("group");
        String members = "paths.'/groups/{id}/members'.get";
        assertThat(doc.getMap(members + ".responses.'200'.content.'application/json'.examples")).containsKey("direct members");
        assertThat(doc.getString(members + ".description")).contains("effective=true").contains("transitively");
        assertThat(doc.getList(members + ".parameters.name")).contains("effective", "page", "size");
        assertThat(doc.getList("paths.'/accounts/{id}/groups'.get.parameters.name")).contains("effective", "page", "size");
        assertThat(doc.getMap("components.schemas.Group.properties")).containsKeys("objectGuid", "name", "distinguishedName", "active");
        assertThat(doc.getMap("components.schemas.GroupMember.properties")).containsOnlyKeys("type", "id", "name", "displayName",
                "distinguishedName", "active");
        assertThat(doc.getMap("components.schemas.DomainRequest.properties")).containsKeys("groupBaseDn", "groupFilter");
        assertThat(doc.getMap("components.schemas.JobRequest.properties")).containsKey("fullSyncInterval");
        for (String path : List.of("/groups/{id}", "/groups/{id}/members", "/accounts/{id}/groups")) {
            assertThat(doc.getMap("paths.'" + path + "'.get.responses")).as(path).containsKeys("401", "404");
        }
    }

    private record Op(String method, String path, Map<String, Object> body) {
        String name() {
            return method.toUpperCase() + " " + path;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> responses() {
            return (Map<String, Object>) body.getOrDefault("responses", Map.of());
        }
    }

    @SuppressWarnings("unchecked")
    private List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, item) -> item.forEach((method, op) -> {
            if (METHODS.contains(method)) {
                ops.add(new Op(method, path, (Map<String, Object>) op));
            }
        }));
        assertThat(ops).isNotEmpty();
        return ops;
    }
}
