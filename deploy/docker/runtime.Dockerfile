# The generic runtime image every container pod runs. It holds only the launcher: a pod fetches its app's
# classpath (the app, its libraries and the Shoal runtime it was built with) from the control plane by content
# hash, then runs the container from it in a JVM of its own.
# Build from the repository root: docker build -f deploy/docker/runtime.Dockerfile -t shoal/runtime:0.1.0 .
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl runtime -am package dependency:copy-dependencies -DskipTests \
      -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp runtime/target/shoal-runtime-*.jar /out/lib/

FROM eclipse-temurin:25-jre
# The user the Kubernetes backend's pods run as (runAsUser 10001, runAsNonRoot).
RUN useradd --uid 10001 --create-home shoal && mkdir -p /var/cache/shoal && chown 10001 /var/cache/shoal
COPY --from=build /out/lib /opt/shoal/lib
USER 10001
# The launcher is small and short of work; the container's own JVM takes its heap from the pod's memory limit.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx64m", "-cp", "/opt/shoal/lib/*", \
  "dev.shoal.internal.runtime.RemoteContainerMain"]
