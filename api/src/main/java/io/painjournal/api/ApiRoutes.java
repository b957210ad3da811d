package io.painjournal.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.api.privacy.PrivacyBudget;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.web.Access;
import io.painjournal.web.Callers;
import io.painjournal.web.Route;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;

/**
 * The api role's route table (API.md sections 1, 3 and 4): each path, who may ask, and its handler in
 * {@link UserRoutes}, {@link TrialRoutes} or {@link ResearchRoutes}; the change stream and the dashboard's
 * files. How the handlers answer is {@link Answers}'s job.
 */
public final class ApiRoutes {

    private final UserRoutes users;
    private final TrialRoutes trials;
    private final ResearchRoutes research;
    private final ChangeStream changes;

    /**
     * @param researchMinUsers the server's k ({@code RESEARCH_MIN_USERS}); a request may raise it, never lower it
     * @param budget           the researchers' epsilon budgets ({@code privacy=dp})
     */
    public ApiRoutes(AnalyticsQueries queries, int researchMinUsers, PrivacyBudget budget, MeterRegistry registry) {
        this(queries, researchMinUsers, budget, AnswerCache.standard(registry));
    }

    ApiRoutes(AnalyticsQueries queries, int researchMinUsers, PrivacyBudget budget, AnswerCache cache) {
        Answers answers = new Answers(cache);
        this.users = new UserRoutes(queries, answers);
        this.trials = new TrialRoutes(queries, answers);
        this.research = new ResearchRoutes(queries, researchMinUsers, budget, answers);
        this.changes = new ChangeStream(queries);
    }

    /** The api role's route table. */
    public List<Route> routes() {
        AnswerCache.Answer catalogue = AnswerCache.Answer.of(ResultJson.catalogue());
        return List.of(
                Route.get("/v1/catalogue", Access.CALLER, ctx -> Answers.send(ctx, catalogue)),
                Route.get("/v1/techniques", Access.CALLER, users::techniques),
                Route.get("/v1/techniques/:technique/trend", Access.CALLER, users::techniqueTrend),
                Route.get("/v1/users/:userId/techniques", Access.SELF_OR_ADMIN, users::personal),
                Route.get("/v1/users/:userId/trend", Access.SELF_OR_ADMIN, users::personalTrend),
                Route.get("/v1/users/:userId/journal", Access.SELF_OR_ADMIN, users::journal),
                Route.get("/v1/trials/summary", Access.CALLER, trials::summary),
                Route.get("/v1/users/:userId/trials", Access.SELF_OR_ADMIN, trials::trials),
                Route.get("/v1/users/:userId/trials/:trialId", Access.SELF_OR_ADMIN, trials::trial),
                Route.get("/v1/users/:userId/trials/:trialId/calendar.ics", Access.SELF_OR_ADMIN, trials::calendar),
                Route.get("/v1/users/:userId/trials/:trialId/report.pdf", Access.SELF_OR_ADMIN, trials::report),
                Route.get("/v1/users/:userId/export", Access.SELF_OR_ADMIN, users::export),
                Route.get("/v1/research/trends", Access.RESEARCHER, research::trends),
                Route.get("/v1/research/cohorts", Access.RESEARCHER, research::cohorts),
                Route.get("/v1/stream", Access.CALLER, ctx -> changes.open(ctx, Callers.of(ctx))),
                // The dashboard: its page at /, its modules, styles and the vendored chart library under /ui/.
                Route.any("/", Access.PUBLIC, ctx -> ctx.reroute("/ui/index.html")),
                Route.any(
                        "/ui/*",
                        Access.PUBLIC,
                        StaticHandler.create("dashboard")
                                .setDefaultContentEncoding("UTF-8")
                                .setCachingEnabled(false)));
    }
}
