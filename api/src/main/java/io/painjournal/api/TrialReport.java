package io.painjournal.api;

import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Technique;
import io.painjournal.query.Results;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A personal trial as an A4 report for a clinician (API.md section 8), with the items of the CENT 2015 statement
 * that apply to one person's trial: the question, the design and its random order, the dates, adherence per
 * period, each pair's difference as a chart with the mean and its interval, the result in words, journal pain
 * per technique, the population of trials of the pair when it is published, and the limits. The font (PDFBox's
 * own Liberation Sans) is embedded, so the text can be extracted.
 */
final class TrialReport {

    static final String CONTENT_TYPE = "application/pdf";

    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private TrialReport() {}

    static byte[] pdf(Results.TrialView trial, Results.TrialSummary population, Instant now) {
        try (PDDocument doc = new PDDocument();
                InputStream fontFile = PDDocument.class.getResourceAsStream(FONT)) {
            Writer w = new Writer(doc, PDType0Font.load(doc, fontFile));
            write(w, trial, population, now);
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer w, Results.TrialView t, Results.TrialSummary population, Instant now)
            throws IOException {
        String a = name(t.techniques().get(0));
        String b = name(t.techniques().get(1));
        Results.TrialResult r = t.result();
        LocalDate last = t.periods().isEmpty()
                ? t.startDate()
                : t.periods().get(t.periods().size() - 1).end().minusDays(1);

        w.text(18, "Personal trial report (N-of-1)");
        w.paragraph(
                9,
                "Made on " + LocalDate.ofInstant(now, ZoneOffset.UTC) + " by the pain-journal service from the "
                        + "person's own records. Trial " + t.trialId()
                        + ". Items as in the CENT 2015 statement for N-of-1 trials.");
        w.heading("Question");
        w.paragraph("Does " + a + " ease this person's back pain more than " + b + "?");
        w.heading("Design");
        w.paragraph("A randomised multiple-crossover trial in one person: " + t.pairs() + " pairs of periods of "
                + t.periodDays() + " days; the first " + t.washoutDays() + " day(s) of each period are a washout. In "
                + "each pair the order of the two techniques was drawn at random by the server (a cryptographic "
                + "random source) when the trial was created; the person did not choose it. Outcome: the reduction "
                + "in pain over a session (pain before minus pain after, 0-10 scale), self-reported. A session counts "
                + "when it is of the period's technique, after the washout.");
        w.heading("Dates and adherence");
        w.paragraph("From " + t.startDate() + " to " + last + "; status " + t.status() + ".");
        for (Results.TrialPeriod p : t.periods()) {
            w.line("Period " + (p.index() + 1) + " (pair " + (p.pair() + 1) + "): " + name(p.technique()) + ", "
                    + p.start() + " to " + p.end().minusDays(1) + ", washout to "
                    + p.washoutEnd().minusDays(1)
                    + ": " + p.onProtocolSessions() + " session(s) on protocol, " + p.offProtocolSessions()
                    + " off protocol");
        }
        w.heading("Each pair: " + a + " minus " + b + " (points of relief)");
        for (Results.PairDifference d : r.differences()) {
            w.line("Pair " + (d.pair() + 1) + ": " + signed(d.difference()));
        }
        if (r.differences().isEmpty()) {
            w.line("No pair has a session on protocol in both its periods yet.");
        } else {
            w.chart(r);
        }
        w.heading("Result");
        if (r.pairsComplete() < 2) {
            w.paragraph("Fewer than two complete pairs: there is no result yet.");
        } else {
            w.paragraph(
                    "Over " + r.pairsComplete() + " complete pairs, " + a + " relieved " + signed(r.meanDifference())
                            + " points more than " + b + " on average (95 % interval "
                            + number(r.ci95().low()) + " to "
                            + number(r.ci95().high()) + ", Student's t). Verdict: " + verdict(r.verdict(), a, b) + ".");
            Results.TrialPosterior p = r.posterior();
            w.paragraph((p.priorTrials() > 0
                            ? "Weighed with " + p.priorTrials() + " other people's trials of these two techniques"
                            : "On this trial alone")
                    + ": " + percent(p.probabilityFirstBetter()) + " likely that " + a + " eases the pain more than "
                    + b + "; " + percent(p.probabilityFirstBetterByOne()) + " likely that it does so by at least a "
                    + "point, the smallest change that matters to people in pain; "
                    + percent(p.probabilitySecondBetterByOne()) + " likely that " + b + " is better by at least a "
                    + "point (posterior " + number(p.mean()) + ", 95 % between "
                    + number(p.credible95().low())
                    + " and " + number(p.credible95().high()) + ").");
        }
        w.heading("Journal pain in each technique's periods (after washout)");
        r.meanJournalPain()
                .forEach((technique, pain) -> w.lineQuietly(name(technique) + ": "
                        + (pain == null ? "no journal entries" : "mean pain " + number(pain) + " of 10")));
        w.heading("Other people's trials of these two techniques");
        if (population == null || population.suppressed()) {
            w.paragraph("Too few people have completed a trial of these two techniques for their results to be shown.");
        } else {
            w.paragraph("Of " + population.trials() + " people who compared them, " + a + " helped about "
                    + signed(population.meanDifference()) + " points more on average (95 % interval "
                    + number(population.ci95().low()) + " to "
                    + number(population.ci95().high()) + "); people "
                    + "differ by about " + number(population.betweenPersonSd()) + " points; for about "
                    + percent(population.shareFirstBetterByOne()) + " of people " + a + " helps a point or more "
                    + "more, and for about " + percent(population.shareSecondBetterByOne()) + " " + b + " does.");
        }
        w.heading("Limits");
        w.paragraph("The scores are self-reported and the person knew which technique they used: the trial is "
                + "randomised in order but not blinded. It answers for this person over these weeks only. Sessions "
                + "outside the protocol are not analysed. Pain also changes by itself; the paired, randomised "
                + "order is what keeps that from favouring either technique.");
    }

    private static String name(String id) {
        return Catalogue.byId(id).map(Technique::name).orElse(id);
    }

    private static String verdict(String verdict, String a, String b) {
        return switch (verdict) {
            case "first-better" -> a + " is better (the whole interval above 0)";
            case "second-better" -> b + " is better (the whole interval below 0)";
            case "no-difference" -> "no difference that matters (the whole interval within 1 point of 0)";
            default -> "undecided (more pairs are needed)";
        };
    }

    static String number(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static String signed(double x) {
        return (x > 0 ? "+" : "") + number(x);
    }

    private static String percent(double p) {
        long n = Math.round(p * 100);
        return (p < 1 && n == 100 ? ">99" : p > 0 && n == 0 ? "<1" : Long.toString(n)) + " %";
    }

    /** Lines and paragraphs from the top of an A4 page down, a new page when one is full. */
    private static final class Writer {

        private final PDDocument doc;
        private final PDType0Font font;
        private PDPageContentStream out;
        private float y;

        Writer(PDDocument doc, PDType0Font font) throws IOException {
            this.doc = doc;
            this.font = font;
            newPage();
        }

        private void newPage() throws IOException {
            if (out != null) {
                out.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            out = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        private void room(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
            }
        }

        void text(float size, String s) throws IOException {
            room(size * 1.4f);
            y -= size * 1.4f;
            out.beginText();
            out.setFont(font, size);
            out.newLineAtOffset(MARGIN, y);
            out.showText(s);
            out.endText();
        }

        void heading(String s) throws IOException {
            y -= 6;
            text(12, s);
        }

        void line(String s) throws IOException {
            paragraph(9, s);
        }

        void lineQuietly(String s) {
            try {
                line(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void paragraph(String s) throws IOException {
            paragraph(10, s);
        }

        /** Words wrapped to the page's width. */
        void paragraph(float size, String s) throws IOException {
            StringBuilder current = new StringBuilder();
            for (String word : s.split(" ")) {
                String tried = current.isEmpty() ? word : current + " " + word;
                if (font.getStringWidth(tried) / 1000 * size > WIDTH && !current.isEmpty()) {
                    text(size, current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(tried);
                }
            }
            if (!current.isEmpty()) {
                text(size, current.toString());
            }
        }

        /** Each pair's difference as a dot, zero dashed, the mean as a line and its 95 % interval as a band. */
        void chart(Results.TrialResult r) throws IOException {
            float height = 120;
            room(height + 20);
            y -= height + 10;
            List<Double> values = new ArrayList<>();
            r.differences().forEach(d -> values.add(d.difference()));
            values.add(-1.0);
            values.add(1.0);
            if (r.ci95() != null) {
                values.add(r.ci95().low());
                values.add(r.ci95().high());
            }
            double lo = values.stream().mapToDouble(v -> v).min().orElse(-1) - 0.5;
            double hi = values.stream().mapToDouble(v -> v).max().orElse(1) + 0.5;
            float left = MARGIN + 30;
            float width = WIDTH - 40;
            java.util.function.DoubleUnaryOperator at = v -> y + (float) ((v - lo) / (hi - lo) * height);
            if (r.ci95() != null) {
                out.setNonStrokingColor(new Color(210, 225, 245));
                float band = (float) at.applyAsDouble(r.ci95().low());
                out.addRect(left, band, width, (float) at.applyAsDouble(r.ci95().high()) - band);
                out.fill();
            }
            out.setStrokingColor(Color.GRAY);
            out.setLineDashPattern(new float[] {4, 3}, 0);
            out.moveTo(left, (float) at.applyAsDouble(0));
            out.lineTo(left + width, (float) at.applyAsDouble(0));
            out.stroke();
            out.setLineDashPattern(new float[] {}, 0);
            if (r.meanDifference() != null) {
                out.setStrokingColor(new Color(11, 92, 173));
                out.moveTo(left, (float) at.applyAsDouble(r.meanDifference()));
                out.lineTo(left + width, (float) at.applyAsDouble(r.meanDifference()));
                out.stroke();
            }
            out.setNonStrokingColor(new Color(11, 92, 173));
            int pairs = Math.max(1, r.differences().size());
            for (int i = 0; i < r.differences().size(); i++) {
                float x = left + width * (i + 0.5f) / pairs;
                float cy = (float) at.applyAsDouble(r.differences().get(i).difference());
                out.addRect(x - 3, cy - 3, 6, 6);
                out.fill();
            }
            out.setNonStrokingColor(Color.BLACK);
            for (double tick : new double[] {lo + 0.5, 0, hi - 0.5}) {
                out.beginText();
                out.setFont(font, 7);
                out.newLineAtOffset(MARGIN, (float) at.applyAsDouble(tick) - 2);
                out.showText(number(tick));
                out.endText();
            }
        }

        void close() throws IOException {
            out.close();
        }
    }
}
