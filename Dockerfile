# Multi-stage build of the `smartcare` binary. SQLite, libpq and OpenSSL are compiled in
# (bundled), so the runtime image needs no database libraries.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p api --bin smartcare

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/smartcare --create-home smartcare
COPY --from=build /src/target/release/smartcare /usr/local/bin/smartcare
USER smartcare
WORKDIR /var/lib/smartcare
ENV SMARTCARE_BIND=0.0.0.0:8080 RUST_LOG=info
EXPOSE 8080
ENTRYPOINT ["smartcare"]
CMD ["serve"]
