package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md holds the table {@link Setting} makes, and the settings are what the process reads. */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");
    private static final String BEGIN = "<!-- settings:begin -->\n";
    private static final String END = "<!-- settings:end -->\n";
    private static final String REGENERATE =
            "mvn -o -pl app -am test -Dtest=ConfigurationDocTest -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dsettings.write=true";

    @Test
    void theDocumentedTableIsTheCodes() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(DOC + " needs the lines " + BEGIN.strip() + " and " + END.strip());
        }
        String table = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("settings.write")) {
            Files.writeString(
                    DOC, doc.substring(0, begin + BEGIN.length()) + Setting.markdownTable() + doc.substring(end));
            return;
        }
        assertEquals(
                Setting.markdownTable(),
                table,
                "docs/CONFIGURATION.md's table is not the one Setting makes; edit Setting, then regenerate the table"
                        + " with: " + REGENERATE);
    }

    @Test
    void everyVariableTheProcessReadsIsASettingAndEverySettingIsRead() {
        Set<String> settings =
                Arrays.stream(Setting.values()).map(Setting::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> read = AppConfigTest.variablesRead();
        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(settings);
        assertEquals(Set.of(), missing, "variables fromEnv reads that are not in Setting (so not documented)");
        Set<String> unread = new TreeSet<>(settings);
        unread.removeAll(read);
        assertEquals(Set.of(), unread, "settings fromEnv never reads");
    }
}
