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
# The launcher is small and short of work once the container's JVM runs: a small heap, the C1 compiler alone and
# a small code cache keep its resident memory near 100 MiB (measured in docs/kubernetes.md), the share of the pod's
# memory the Kubernetes backend adds to the function's memoryMb. The container's own JVM sizes its heap from the
# function's memoryMb, which the backend passes as -XX:MaxRAM in JAVA_TOOL_OPTIONS.
# /tmp and /var/cache/shoal are the only places it writes: pods run with a read-only root file system and an
# emptyDir at each.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", \
  "-XX:ReservedCodeCacheSize=16m", "-Xss512k", "-cp", "/opt/shoal/lib/*", \
  "dev.shoal.internal.runtime.RemoteContainerMain"]
