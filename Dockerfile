# syntax=docker/dockerfile:1
# The one artifact, every role (ROLES chooses). Multi-stage: Maven builds the fat jar, a JRE runs it.
#   docker build -t pain-journal .        (docker compose up --build does this for you)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven cache survives between builds (BuildKit), so a rebuild downloads nothing.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests -DskipClassArchive -pl app -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --create-home --home-dir /home/painjournal painjournal && mkdir -p /data && chown painjournal /data
COPY --from=build /src/app/target/pain-journal.jar /opt/pain-journal/pain-journal.jar
USER painjournal
WORKDIR /home/painjournal
ENV DATA_DIR=/data HTTP_PORT=8080
EXPOSE 8080
VOLUME /data
# Exec form: the JVM is PID 1 and gets SIGTERM directly, so shutdown is clean.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/pain-journal/pain-journal.jar"]
