package io.painjournal.api;

import io.painjournal.query.Results.TrialPeriod;
import io.painjournal.query.Results.TrialView;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import net.fortuna.ical4j.validate.ValidationException;

/**
 * A trial's schedule as iCalendar (RFC 5545, with ical4j): one all-day event per period naming its
 * technique and washout days. Each event's {@code UID} is the trial and period ({@code trialId-p@…}), so a
 * calendar that subscribes updates its events instead of adding copies; a cancelled trial's events carry
 * {@code SEQUENCE:1}, so their new end replaces the old one.
 */
final class TrialCalendar {

    static final String CONTENT_TYPE = "text/calendar; charset=utf-8";

    private TrialCalendar() {}

    static String ics(TrialView trial, Instant stamp) {
        Calendar calendar = new Calendar()
                .add(new ProdId("-//pain-journal//personal trials//EN"))
                .add(ImmutableVersion.VERSION_2_0)
                .add(ImmutableCalScale.GREGORIAN);
        for (TrialPeriod p : trial.periods()) {
            String name = io.painjournal.catalogue.Catalogue.byId(p.technique())
                    .map(io.painjournal.catalogue.Technique::name)
                    .orElse(p.technique());
            long washout = java.time.temporal.ChronoUnit.DAYS.between(p.start(), p.washoutEnd());
            VEvent event = new VEvent(
                            p.start(),
                            p.end(),
                            "Trial: " + name + " (period " + (p.index() + 1) + " of " + 2 * trial.pairs() + ")")
                    .add(new Uid(trial.trialId() + "-" + p.index() + "@pain-journal"))
                    .replace(new DtStamp(stamp)) // exactly one (the constructor made one)
                    .add(new Sequence("cancelled".equals(trial.status()) ? 1 : 0))
                    .add(new Description(
                            washout == 0
                                    ? "Use " + name + " in this period; no washout."
                                    : "Washout: the first " + washout + (washout == 1 ? " day" : " days")
                                            + " (until " + p.washoutEnd() + ", no " + name + " sessions), then use "
                                            + name
                                            + " until " + p.end().minusDays(1) + "."));
            calendar.add(event);
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter().output(calendar, out);
        } catch (IOException | ValidationException e) {
            throw new IllegalStateException("the trial calendar did not validate", e);
        }
        return out.toString();
    }
}
