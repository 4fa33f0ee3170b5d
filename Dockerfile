# syntax=docker/dockerfile:1
# Hanul in two stages: the jar is built with the Maven wrapper on a Temurin 25 JDK, and runs on a Temurin 25 JRE with
# the JVM flags bin/hanul passes (the Vector API for the engine, native access for the memory-mapped models).
#   docker build -t hanul .

FROM eclipse-temurin:25-jdk AS build
# g++ and python3-pip let gpu-engine/scripts/build-cuda.sh fetch nvcc from PyPI and compile the CUDA kernels into the
# jar (for the gpu profile); without them the build still succeeds and the CPU backend serves.
RUN apt-get update -q && apt-get install -y -q --no-install-recommends g++ python3-pip \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_BREAK_SYSTEM_PACKAGES=1
WORKDIR /src
# The wrapper and the POM first, so the dependency download stays in the layer cache while sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline -DskipTests || true
COPY gpu-engine gpu-engine
COPY vector-index vector-index
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package && cp target/hanul.jar /hanul.jar

FROM eclipse-temurin:25-jre
# curl for the health check; tesseract with Korean and English for OCR of scans and images (see README).
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl tesseract-ocr tesseract-ocr-kor \
        tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/hanul hanul \
    && mkdir -p /data && chown hanul /data
COPY --from=build /hanul.jar /opt/hanul/hanul.jar
USER hanul
WORKDIR /home/hanul
ENV HANUL_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=15m --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", \
            "-jar", "/opt/hanul/hanul.jar"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
