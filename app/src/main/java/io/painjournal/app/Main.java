package io.painjournal.app;

import io.painjournal.app.logging.Logging;
import io.painjournal.auth.Role;
import java.util.Set;

/** {@code java -jar pain-journal.jar}: reads the environment once, starts, and stops cleanly on SIGTERM. */
public final class Main {

    private Main() {}

    /**
     * The argument of the build's training run: start every role, wait until ready, stop. The build runs
     * it with {@code -XX:ArchiveClassesAtExit}, so the classes start-up loads are archived next to the jar
     * ({@code pain-journal.jsa}), and a start with {@code -XX:SharedArchiveFile} maps them instead of
     * loading and verifying them again: a third of the time to ready on two cores.
     */
    static final String CLASS_ARCHIVE_TRAINING = "--class-archive-training";

    public static void main(String[] args) {
        boolean training = args.length == 1 && args[0].equals(CLASS_ARCHIVE_TRAINING);
        AppConfig config;
        try {
            config = training ? trainingConfig() : AppConfig.fromEnv();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(config.logFormat() == AppConfig.LogFormat.JSON, config.logLevel());
        Application app;
        try {
            app = Application.start(config);
        } catch (Exception e) {
            System.err.println("pain-journal could not start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        if (training) {
            boolean ready = false;
            try {
                ready = app.awaitReady(java.time.Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            app.close();
            deleteTree(config.dataDir());
            System.exit(ready ? 0 : 1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        if (app.madeItsOwnSecret()) {
            printTrialTokens(app);
        }
    }

    /** The environment's configuration, with the data in a new directory under DATA_DIR (never existing state). */
    private static AppConfig trainingConfig() {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        java.nio.file.Path base = java.nio.file.Path.of(env.getOrDefault("DATA_DIR", "data"));
        env.put(
                "DATA_DIR",
                base.resolve("training-" + java.util.UUID.randomUUID()).toString());
        return AppConfig.fromEnv(env);
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete the training data in " + dir + ": " + e.getMessage());
        }
    }

    private static void printTrialTokens(Application app) {
        int port = app.config().httpPort();
        String user = app.issueToken("demo-user", Set.of(Role.USER));
        String researcher = app.issueToken("demo-researcher", Set.of(Role.RESEARCHER));
        String admin = app.issueToken("demo-admin", Set.of(Role.ADMIN));
        System.out.printf("""

                ================================================================================
                 pain-journal is running on http://localhost:%1$d
                 No JWT_SECRET was set, so this process made one; these tokens work until it
                 stops (12 h at most). Set JWT_SECRET to keep tokens valid across restarts.

                 user token (sub demo-user):
                   USER_TOKEN=%2$s
                 researcher token:
                   RESEARCHER_TOKEN=%3$s
                 admin token (may post for any user, e.g. the sample journal):
                   ADMIN_TOKEN=%4$s

                 Dashboard: open http://localhost:%1$d/ and sign in with a token above; it
                 updates live as events arrive (post the example below while it is open).

                 Try:
                   curl -i -X POST http://localhost:%1$d/v1/sessions \\
                     -H "Authorization: Bearer %2$s" \\
                     -H 'Content-Type: application/json' \\
                     -d '{"eventId":"6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11","userId":"demo-user","technique":"tennis-ball","startedAt":"2026-11-20T18:30:00Z","durationMinutes":10,"painBefore":7,"painAfter":4}'
                ================================================================================

                """, port, user, researcher, admin);
        System.out.flush();
    }
}
