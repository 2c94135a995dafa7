# syntax=docker/dockerfile:1
# adsync api-service image (REST API), Quarkus fast-jar on a JRE 21.
# Build context: the repository root (ignore rules: api-service.Dockerfile.dockerignore next to this file).
#   docker build -f deploy/docker/api-service.Dockerfile -t adsync/api-service:dev .
# Multi-stage: Maven builds the module inside the build stage, so a clean clone is enough. No secrets are baked
# in: the database credentials, encryption key and API keys come from the environment at run time.
ARG JDK_IMAGE=eclipse-temurin:21-jdk
ARG JRE_IMAGE=eclipse-temurin:21-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Every module's POM: the parent lists all three modules, so Maven reads them even when building one.
COPY shared-model/pom.xml shared-model/
COPY api-service/pom.xml api-service/
COPY sync-worker/pom.xml sync-worker/
COPY shared-model/src/ shared-model/src/
COPY api-service/src/ api-service/src/
# ~/.m2 (Maven itself and the dependencies) is a BuildKit cache mount: rebuilds do not download them again.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl api-service -am package -DskipTests \
 && test -f api-service/target/quarkus-app/quarkus-run.jar

FROM ${JRE_IMAGE}
LABEL org.opencontainers.image.title="adsync api-service" \
      org.opencontainers.image.description="adsync api-service (REST API)"
# Unprivileged user with a fixed UID/GID (Kubernetes: runAsUser/runAsGroup 10001, runAsNonRoot).
RUN groupadd --system --gid 10001 adsync \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin adsync
WORKDIR /deployments
# The application files stay owned by root: the app user can read but not change them.
COPY --from=build /src/api-service/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /src/api-service/target/quarkus-app/app/ /deployments/app/
COPY --from=build /src/api-service/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --from=build /src/api-service/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --chmod=0755 deploy/docker/http-health.sh /usr/local/bin/http-health
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_OPTS_APPEND=""
USER 10001:10001
# 8080: the API; 9000: health and metrics (management interface; do not publish it)
EXPOSE 8080 9000
# exec: java is PID 1 and receives SIGTERM directly (graceful shutdown).
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar \"$@\"", "--"]
