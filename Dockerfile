# The one artifact, every role: build the jar first (mvn -B package -DskipTests), then `docker compose build`.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 painjournal && mkdir -p /data && chown painjournal /data
USER painjournal
WORKDIR /home/painjournal
COPY app/target/pain-journal.jar /opt/pain-journal/pain-journal.jar
ENV DATA_DIR=/data HTTP_PORT=8080
EXPOSE 8080
# exec form: the JVM is PID 1 and gets SIGTERM directly, so shutdown is clean.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/pain-journal/pain-journal.jar"]
