# The control plane's image: `shoal server` with every dependency it needs.
# Build from the repository root: docker build -f deploy/docker/server.Dockerfile -t shoal/server:0.1.0 .
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# One reactor build: the CLI, the server it runs and every module they need, then their dependencies in one
# directory (compile scope takes in the server, which the CLI has as provided).
RUN ./mvnw -B -q -pl cli -am package dependency:copy-dependencies -DskipTests \
      -DincludeScope=compile -DoutputDirectory=/out/lib \
 && cp cli/target/shoal-cli-*.jar /out/lib/

FROM eclipse-temurin:25-jre
RUN useradd --uid 10001 --home-dir /var/lib/shoal --create-home shoal
COPY --from=build /out/lib /opt/shoal/lib
USER 10001
WORKDIR /var/lib/shoal
EXPOSE 7700
# The heap takes three quarters of the container's memory limit (the JVM's default is a quarter), leaving the
# rest to metaspace, threads and gRPC's direct buffers.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/shoal/lib/*", "dev.shoal.internal.cli.ShoalCli"]
CMD ["server", "--host=0.0.0.0", "--port=7700", "--data-dir=/var/lib/shoal"]
