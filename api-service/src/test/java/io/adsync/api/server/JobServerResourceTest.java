package io.adsync.api.server;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.unique;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class JobServerResourceTest {

    @Inject
    TestDb db;

    @Test
    void registerIs201AndTheServerIsOfflineWithoutAHeartbeat() {
        String name = unique("sync-worker");

        Response created = admin().body(new Body().with("name", name)).post("/job-servers");

        created.then().statusCode(201)
                .body("id", notNullValue())
                .body("name", equalTo(name))
                .body("canBeJobServer", equalTo(true))
                .body("status", equalTo("OFFLINE"))
                .body("lastHeartbeatAt", nullValue())
                .body("createdAt", notNullValue())
                .body("version", equalTo(0));
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/job-servers/" + id);
        admin().get("/job-servers/{id}", id).then().statusCode(200).body("name", equalTo(name)).body("status", equalTo("OFFLINE"));
    }

    @Test
    void aServerCanBeRegisteredParked() {
        admin().body(new Body().with("name", unique("parked")).with("canBeJobServer", false)).post("/job-servers")
                .then().statusCode(201).body("canBeJobServer", equalTo(false));
    }

    @Test
    void aDuplicateNameIs409() {
        String name = unique("sync-worker");
        register(name);
        long before = db.count("job_server");

        admin().body(new Body().with("name", name)).post("/job-servers").then().spec(problem(409)).body("detail", containsString(name));

        assertThat(db.count("job_server")).isEqualTo(before);
    }

    @Test
    void aBadNameIs400() {
        long before = db.count("job_server");
        admin().body(new Body().with("name", "not a host name")).post("/job-servers").then().spec(violation(400, "name"));
        admin().body(new Body()).post("/job-servers").then().spec(violation(400, "name"));
        admin().body(new Body().with("name", unique("w")).with("role", "x")).post("/job-servers").then().spec(violation(400, "role"));
        assertThat(db.count("job_server")).isEqualTo(before);
    }

    @Test
    void aFreshHeartbeatMakesItOnline() {
        String id = register(unique("sync-worker"));

        db.update("UPDATE job_server SET last_heartbeat_at = now(), software_version = '0.1.0', started_at = now() WHERE id = ?",
                UUID.fromString(id));

        admin().get("/job-servers/{id}", id).then().statusCode(200)
                .body("status", equalTo("ONLINE"))
                .body("lastHeartbeatAt", notNullValue())
                .body("softwareVersion", equalTo("0.1.0"));
        db.update("UPDATE job_server SET last_heartbeat_at = now() - interval '31 seconds' WHERE id = ?", UUID.fromString(id));
        admin().get("/job-servers/{id}", id).then().body("status", equalTo("OFFLINE"));
    }

    @Test
    void listShowsEveryServerSortedByNameWithStatus() {
        String prefix = unique("aaa-list");
        String b = register(prefix + "-b");
        String a = register(prefix + "-a");
        db.update("UPDATE job_server SET last_heartbeat_at = now() WHERE id = ?", UUID.fromString(b));
        long total = db.count("job_server");

        Response all = admin().queryParam("size", 500).get("/job-servers");
        all.then().statusCode(200)
                .body("total", equalTo((int) total))
                .body("items", hasSize((int) Math.min(total, 500)))
                .body("items.find { it.id == '" + a + "' }.status", equalTo("OFFLINE"))
                .body("items.find { it.id == '" + b + "' }.status", equalTo("ONLINE"));
        List<String> names = all.path("items.name");
        assertThat(names).containsSubsequence(prefix + "-a", prefix + "-b");
        assertThat(names).containsExactlyElementsOf(
                db.column("SELECT name FROM job_server ORDER BY name LIMIT 500").stream().map(String.class::cast).toList());

        admin().queryParam("size", 1).queryParam("page", 1).get("/job-servers").then().statusCode(200)
                .body("items", hasSize(1)).body("total", equalTo((int) total)).body("items[0].name", equalTo(names.get(1)));
    }

    @Test
    void patchFlipsCanBeJobServer() {
        String id = register(unique("sync-worker"));

        admin().body("{\"canBeJobServer\":false}").patch("/job-servers/{id}", id).then().statusCode(200)
                .body("canBeJobServer", equalTo(false)).body("version", equalTo(1));
        assertThat(db.value("SELECT can_be_job_server FROM job_server WHERE id = ?", UUID.fromString(id))).isEqualTo(false);

        admin().body("{\"canBeJobServer\":true}").patch("/job-servers/{id}", id).then().statusCode(200)
                .body("canBeJobServer", equalTo(true)).body("version", equalTo(2));
        admin().get("/job-servers/{id}", id).then().body("canBeJobServer", equalTo(true));
    }

    @Test
    void patchAcceptsMergePatchJson() {
        String id = register(unique("sync-worker"));

        admin().contentType("application/merge-patch+json").body("{\"canBeJobServer\":false}").patch("/job-servers/{id}", id)
                .then().statusCode(200).body("canBeJobServer", equalTo(false));

        admin().get("/job-servers/{id}", id).then().body("canBeJobServer", equalTo(false));
    }

    @Test
    void patchWithoutTheFieldIs400AndChangesNothing() {
        String id = register(unique("sync-worker"));

        admin().body("{}").patch("/job-servers/{id}", id).then().spec(violation(400, "canBeJobServer"));
        admin().contentType("application/merge-patch+json").body("{}").patch("/job-servers/{id}", id)
                .then().spec(violation(400, "canBeJobServer"));
        admin().body("{\"canBeJobServer\":\"maybe\"}").patch("/job-servers/{id}", id).then().spec(violation(400, "canBeJobServer"));
        admin().body("{\"canBeJobServer\":false,\"name\":\"renamed\"}").patch("/job-servers/{id}", id).then().spec(violation(400, "name"));
        admin().body("{\"canBeJobServer\":").patch("/job-servers/{id}", id).then().spec(problem(400));

        admin().get("/job-servers/{id}", id).then().body("canBeJobServer", equalTo(true)).body("version", equalTo(0));
    }

    @Test
    void patchWithAStaleVersionIs409() {
        String id = register(unique("sync-worker"));
        admin().body("{\"canBeJobServer\":false,\"version\":0}").patch("/job-servers/{id}", id).then().statusCode(200);

        admin().body("{\"canBeJobServer\":true,\"version\":0}").patch("/job-servers/{id}", id).then().spec(problem(409))
                .body("currentVersion", equalTo(1));

        admin().get("/job-servers/{id}", id).then().body("canBeJobServer", equalTo(false));
    }

    @Test
    void deleteOfAnOnlineServerIs409() {
        String id = register(unique("sync-worker"));
        db.update("UPDATE job_server SET last_heartbeat_at = now() WHERE id = ?", UUID.fromString(id));

        admin().delete("/job-servers/{id}", id).then().spec(problem(409)).body("detail", containsString("ONLINE"));

        admin().get("/job-servers/{id}", id).then().statusCode(200);
    }

    @Test
    void deleteOfAnOfflineServerIs204() {
        String id = register(unique("sync-worker"));
        db.update("UPDATE job_server SET last_heartbeat_at = now() - interval '10 minutes' WHERE id = ?", UUID.fromString(id));

        admin().delete("/job-servers/{id}", id).then().statusCode(204);

        admin().get("/job-servers/{id}", id).then().spec(problem(404));
        admin().delete("/job-servers/{id}", id).then().spec(problem(404));
    }

    @Test
    void unknownIdsAre404() {
        UUID unknown = UUID.randomUUID();
        admin().get("/job-servers/{id}", unknown).then().spec(problem(404));
        admin().body("{\"canBeJobServer\":false}").patch("/job-servers/{id}", unknown).then().spec(problem(404));
        admin().delete("/job-servers/{id}", unknown).then().spec(problem(404));
    }

    @Test
    void listIncludesARegisteredServer() {
        String name = unique("sync-worker");
        register(name);
        admin().queryParam("size", 500).get("/job-servers").then().statusCode(200).body("items.name", hasItem(name));
    }

    private static String register(String name) {
        return admin().body(new Body().with("name", name)).post("/job-servers").then().statusCode(201).extract().path("id");
    }
}
