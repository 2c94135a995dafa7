# syntax=docker/dockerfile:1
# One-shot demo bootstrap for docker-compose.yml: registers the demo AD domain and an AD sync job through the
# public API. Build context: deploy/docker.
FROM alpine:3.20
RUN apk add --no-cache curl jq
COPY --chmod=0755 bootstrap.sh /usr/local/bin/adsync-bootstrap
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/adsync-bootstrap"]
