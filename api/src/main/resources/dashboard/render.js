// Rendering: DOM built with textContent only (never HTML from data), charts drawn with uPlot.
import uPlot from "/ui/vendor/uPlot.esm.js";

const fmt = (n, digits = 2) => (n === null || n === undefined ? "—" : Number(n).toFixed(digits));

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

/** One currency's cost per point of relief: "£33.18", "free", or "—" when that relief is 0. */
function money(currency, perPoint) {
  if (perPoint === null || perPoint === undefined) return "—";
  if (perPoint === 0) return "free";
  try {
    // minor units per the currency: cents for GBP and EUR, none for JPY
    const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(perPoint / 10 ** digits);
  } catch (e) {
    return `${perPoint.toFixed(0)} ${currency} minor units`;
  }
}

/** Each currency on its own, never added together: "£33.18 · €29.40 per point". */
function cost(byCurrency) {
  const entries = Object.entries(byCurrency || {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return "—";
  const figures = entries.map(([currency, perPoint]) => money(currency, perPoint));
  return figures.every((f) => f === "free") ? "free" : `${figures.join(" · ")} per point`;
}

/** An error bar: the mean as a bar from 0, the 95 % interval as a whisker; scale 0..max. */
function errorBar(t, max) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 220, x = (v) => 10 + Math.max(0, Math.min(1, v / max)) * (width - 20);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", 20);
  svg.setAttribute("role", "img");
  const ci = t.ci95 ? `, 95 % interval ${fmt(t.ci95[0])} to ${fmt(t.ci95[1])}` : ", too few sessions for an interval";
  svg.setAttribute("aria-label", `mean ${fmt(t.meanReduction)}${ci}`);
  const bar = document.createElementNS(ns, "rect");
  bar.setAttribute("class", "bar");
  bar.setAttribute("x", x(0));
  bar.setAttribute("y", 5);
  bar.setAttribute("height", 10);
  bar.setAttribute("width", Math.max(1, x(t.meanReduction) - x(0)));
  svg.appendChild(bar);
  if (t.ci95) {
    for (const [x1, y1, x2, y2] of [[x(t.ci95[0]), 10, x(t.ci95[1]), 10], [x(t.ci95[0]), 4, x(t.ci95[0]), 16],
      [x(t.ci95[1]), 4, x(t.ci95[1]), 16]]) {
      const line = document.createElementNS(ns, "line");
      line.setAttribute("class", "ci");
      Object.entries({ x1, y1, x2, y2 }).forEach(([k, v]) => line.setAttribute(k, v));
      svg.appendChild(line);
    }
  }
  return svg;
}

export function population(view, names) {
  const body = document.querySelector("#population-table tbody");
  const max = Math.max(1, ...view.techniques.filter((t) => !t.suppressed)
    .map((t) => (t.ci95 ? t.ci95[1] : t.meanReduction)));
  body.replaceChildren(...view.techniques.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.technique = t.technique;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = names[t.technique] || t.technique;
    tr.appendChild(th);
    if (t.suppressed) { // too few people to show anything of them
      const note = cell(tr, "fewer than k people: not shown", "suppressed");
      note.colSpan = 6;
      return tr;
    }
    const bar = cell(tr, "");
    bar.appendChild(errorBar(t, max));
    bar.append(` ${fmt(t.meanReduction)}`);
    cell(tr, t.sessions, "num");
    cell(tr, t.users, "num");
    cell(tr, t.responderRate === null ? "—" : `${fmt(t.responderRate * 100, 0)} %`, "num");
    cell(tr, cost(t.costPerPointByCurrency));
    cell(tr, t.betweenPersonSd === null || t.betweenPersonSd === undefined
      ? "—"
      : `people differ by ±${fmt(t.betweenPersonSd, 1)} points; one person's sessions by ±${fmt(t.withinPersonSd, 1)}`);
    return tr;
  }));
}

/** "93 % likely to ease your pain by at least a point". */
export function meaningfulText(posterior) {
  return `${percent(posterior.probabilityMeaningful)} likely to ease your pain by at least a point`;
}

/** "most likely your best: the tennis ball (41 %)" or "worth trying: MELT, 22 % likely to be your best". */
export function suggestionText(suggestion, names) {
  if (!suggestion) return "";
  const name = names[suggestion.technique] || suggestion.technique;
  const chance = `${percent(suggestion.probabilityBest)} likely to be your best`;
  return suggestion.reason === "most-likely-best"
    ? `Most likely your best: ${name}, ${chance}.`
    : `Worth trying: ${name}, ${chance}; you have fewer than 3 sessions of it.`;
}

/** A probability as a whole percentage, never 0 % or 100 % for what is only nearly sure. */
function percent(p) {
  const n = Math.round(p * 100);
  return `${p < 1 && n === 100 ? ">99" : p > 0 && n === 0 ? "<1" : n} %`;
}

export function personal(view, names) {
  const body = document.querySelector("#mine-table tbody");
  const shown = [...view.techniques, ...view.untried].map((t) => t.posterior).filter((p) => p);
  const max = Math.max(1, ...shown.map((p) => p.credible95[1]), ...view.techniques.map((t) => t.estimate));
  body.replaceChildren(...view.techniques.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.technique = t.technique;
    cell(tr, names[t.technique] || t.technique);
    const likely = cell(tr, "");
    if (t.posterior) {
      likely.appendChild(errorBar({ meanReduction: t.posterior.mean, ci95: t.posterior.credible95 }, max));
      likely.append(` ${fmt(t.posterior.mean)} (${fmt(t.posterior.credible95[0])} to ${fmt(t.posterior.credible95[1])})`);
      cell(tr, meaningfulText(t.posterior));
    } else {
      likely.textContent = `${fmt(t.estimate)} (too few people or sessions yet for a range)`;
      cell(tr, "—");
    }
    cell(tr, t.sessions, "num");
    cell(tr, fmt(t.meanReduction), "num");
    cell(tr, t.enoughData ? "enough data" : "not enough data yet (fewer than 3 sessions)", t.enoughData ? "" : "mark");
    return tr;
  }));
  document.getElementById("mine-untried").replaceChildren(...view.untried.map((u) => {
    const li = document.createElement("li");
    li.dataset.technique = u.technique;
    li.textContent = `${names[u.technique] || u.technique}: likely ${fmt(u.posterior.mean)} points`
      + ` (${fmt(u.posterior.credible95[0])} to ${fmt(u.posterior.credible95[1])}), ${meaningfulText(u.posterior)},`
      + ` ${percent(u.posterior.probabilityBest)} likely to be your best`;
    return li;
  }));
  if (view.untried.length === 0) {
    const li = document.createElement("li");
    li.textContent = "none: you have tried every technique with enough data behind it";
    document.getElementById("mine-untried").appendChild(li);
  }
  document.getElementById("mine-suggestion").textContent = suggestionText(view.suggestion, names);
}

const charts = new Map();

/** Draws (or redraws) a uPlot line chart of weekly series in the element with this id. */
function lines(id, weeks, series) {
  const element = document.getElementById(id);
  const x = weeks.map((w) => Date.parse(`${w.weekStart}T00:00:00Z`) / 1000);
  const data = [x, ...series.map((s) => weeks.map((w) => w[s.field] ?? null))];
  const old = charts.get(id);
  if (old) old.destroy();
  charts.delete(id);
  element.replaceChildren();
  if (weeks.length === 0) {
    element.textContent = "Nothing recorded yet.";
    return;
  }
  const width = Math.max(320, element.clientWidth || 800);
  const chart = new uPlot({
    width, height: 240,
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale || "y", spanGaps: true,
      points: { show: true, size: 6 } }))],
    axes: [{}, { scale: "y" }, ...(series.some((s) => s.scale === "n") ? [{ scale: "n", side: 1, grid: { show: false } }] : [])],
    // One week alone would be stretched over years: give it a week either side.
    scales: { x: x.length === 1 ? { time: true, range: [x[0] - 7 * 86400, x[0] + 7 * 86400] } : { time: true } },
  }, data, element);
  charts.set(id, chart);
}

export function trend(view, name) {
  const weeks = view.weeks;
  const sessions = weeks.reduce((n, w) => n + (w.sessions || 0), 0);
  const hidden = weeks.filter((w) => w.suppressed).length;
  document.getElementById("trend-summary").textContent =
    `${name}: ${weeks.length} ${weeks.length === 1 ? "week" : "weeks"}, ${sessions} sessions`
    + (hidden ? ` (${hidden} ${hidden === 1 ? "week" : "weeks"} of fewer than k people not shown)` : "");
  lines("trend-chart", weeks, [
    { field: "meanReduction", label: "mean reduction", color: "#2f6f3e" },
    { field: "sessions", label: "sessions", color: "#0b5cad", scale: "n" },
  ]);
}

export function journal(view) {
  lines("journal-chart", view.weeks, [
    { field: "meanPain", label: "pain", color: "#a4000f" },
    { field: "meanSleepQuality", label: "sleep quality", color: "#0b5cad" },
    { field: "meanStress", label: "stress", color: "#7a4b00" },
  ]);
}

export function research(ndjson) {
  const body = document.querySelector("#research-table tbody");
  const rows = ndjson.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    [r.technique, r.cohort, r.weekStart].forEach((v) => cell(tr, v));
    for (const [v, d] of [[r.users, 0], [r.sessions, 0], [r.meanPainBefore, 2], [r.meanReduction, 2], [r.sdReduction, 2], [r.responderRate, 2]]) {
      if (r.suppressed) cell(tr, "suppressed", "suppressed");
      else cell(tr, v === null ? "—" : fmt(v, d), "num");
    }
    return tr;
  }));
}

/** "MELT helped about 1.4 points more than Tennis ball; 97 % likely better", or what is not known yet. */
export function verdictText(trial, names) {
  const [a, b] = trial.techniques.map((t) => names[t] || t);
  const r = trial.result;
  if (r.pairsComplete < 2) {
    return `Not enough yet: ${r.pairsComplete} of ${trial.pairs} pairs complete (a pair needs a session of each technique after washout).`;
  }
  const d = Math.abs(r.meanDifference).toFixed(1);
  const p = Math.round(r.probabilityFirstBetter * 100);
  switch (r.verdict) {
    case "first-better": return `${a} helped about ${d} points more than ${b}; ${p} % likely better.`;
    case "second-better": return `${b} helped about ${d} points more than ${a}; ${100 - p} % likely better.`;
    case "no-difference": return `${a} and ${b} helped about the same (within 1 point).`;
    default:
      return `${r.meanDifference >= 0 ? a : b} helped about ${d} points more so far (${r.meanDifference >= 0 ? p : 100 - p} % likely better), but it is not clear yet.`;
  }
}

/** "78 % likely that MELT eases your pain at least a point more than the tennis ball" (and how it was weighed). */
export function posteriorText(trial, names) {
  const p = trial.result.posterior;
  if (!p) return "";
  const [a, b] = trial.techniques.map((t) => names[t] || t);
  const weighed = p.priorTrials > 0 ? `, weighed with ${p.priorTrials} other people's trials` : ", on your trial alone";
  const first = p.probabilityFirstBetterByOne >= p.probabilitySecondBetterByOne;
  return `${percentOf(first ? p.probabilityFirstBetterByOne : p.probabilitySecondBetterByOne)} likely that `
    + `${first ? a : b} eases your pain at least a point more than ${first ? b : a}${weighed}.`;
}

/** "Of 23 people who compared them, MELT helped about 0.9 points more on average; for about 45 % of people …". */
export function populationText(summary, names) {
  const [a, b] = summary.techniques.map((t) => names[t] || t);
  if (summary.suppressed) return `Too few people have finished a trial of ${a} and ${b} yet to show theirs.`;
  const first = summary.meanDifference >= 0;
  return `Of ${summary.trials} people who compared them, ${first ? a : b} helped about `
    + `${Math.abs(summary.meanDifference).toFixed(1)} points more on average; for about `
    + `${percentOf(first ? summary.shareFirstBetterByOne : summary.shareSecondBetterByOne)} of people it helps a point `
    + `or more.`;
}

function percentOf(p) {
  const n = Math.round(p * 100);
  return `${p < 1 && n === 100 ? ">99" : p > 0 && n === 0 ? "<1" : n} %`;
}

/** The schedule as a strip of periods coloured by technique, each with its adherence. */
export function trialStrip(trial, names) {
  const strip = document.getElementById("trial-strip");
  const today = trial.today ? trial.today.period : -1;
  strip.replaceChildren(...trial.periods.map((p) => {
    const box = document.createElement("div");
    box.setAttribute("role", "listitem");
    box.className = `period ${p.technique === trial.techniques[0] ? "first" : "second"}`
      + (p.onProtocolSessions === 0 && p.end <= new Date().toISOString().slice(0, 10) ? " missed" : "")
      + (p.index === today ? " now" : "");
    box.dataset.period = p.index;
    const mark = p.onProtocolSessions > 0 ? `✓ ${p.onProtocolSessions}` : "no session";
    box.textContent = `${names[p.technique] || p.technique} · ${p.start} · ${mark}`;
    box.title = `period ${p.index + 1}: ${p.start} to ${p.end} (washout until ${p.washoutEnd}); `
      + `${p.onProtocolSessions} on protocol, ${p.offProtocolSessions} off`;
    return box;
  }));
}

/** Each complete pair's difference as a dot, the mean as a line and the 95 % interval as a band. */
export function trialChart(trial, names) {
  const ns = "http://www.w3.org/2000/svg";
  const element = document.getElementById("trial-chart");
  const r = trial.result;
  element.replaceChildren();
  if (r.differences.length === 0) {
    element.textContent = "No complete pair yet.";
    element.setAttribute("aria-label", "no complete pair yet");
    return;
  }
  const values = r.differences.map((d) => d.difference).concat(r.ci95 ? r.ci95 : [], [0, 1, -1]);
  const lo = Math.min(...values), hi = Math.max(...values);
  const width = 420, height = 160, pad = 24;
  const y = (v) => pad + (hi - v) / (hi - lo || 1) * (height - 2 * pad);
  const x = (j) => pad + (j + 0.5) / trial.pairs * (width - 2 * pad);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const add = (name, attrs) => {
    const e = document.createElementNS(ns, name);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    svg.appendChild(e);
    return e;
  };
  if (r.ci95) add("rect", { class: "band", x: pad, y: y(r.ci95[1]), width: width - 2 * pad, height: Math.max(1, y(r.ci95[0]) - y(r.ci95[1])) });
  add("line", { class: "zero", x1: pad, x2: width - pad, y1: y(0), y2: y(0) });
  if (r.meanDifference !== null) add("line", { class: "mean", x1: pad, x2: width - pad, y1: y(r.meanDifference), y2: y(r.meanDifference) });
  for (const d of r.differences) add("circle", { class: "dot", cx: x(d.pair), cy: y(d.difference), r: 5 });
  const [a, b] = trial.techniques.map((t) => names[t] || t);
  const label = add("text", { x: pad, y: 14, "font-size": 12 });
  label.textContent = `per pair: ${a} minus ${b} (points); band: 95 % interval`;
  element.setAttribute("aria-label", `differences per pair ${r.differences.map((d) => d.difference.toFixed(1)).join(", ")}`
    + (r.ci95 ? `; 95 % interval ${r.ci95[0].toFixed(1)} to ${r.ci95[1].toFixed(1)}` : ""));
  element.appendChild(svg);
}

export function trialStatus(trial, names) {
  const today = document.getElementById("trial-today");
  if (trial.today) {
    const name = names[trial.today.technique] || trial.today.technique;
    today.textContent = trial.today.washout ? `Today: washout (no ${name} yet)` : `Today: ${name}`;
  } else {
    today.textContent = "";
  }
  document.getElementById("trial-status").textContent =
    `${trial.status}: ${trial.periods.length} periods of ${trial.periodDays} days from ${trial.startDate}, `
    + `${trial.washoutDays} washout ${trial.washoutDays === 1 ? "day" : "days"} each`;
  document.getElementById("trial-verdict").textContent = verdictText(trial, names);
  document.getElementById("trial-posterior").textContent = posteriorText(trial, names);
  trialStrip(trial, names);
  trialChart(trial, names);
}

/** "2.41 (1.05 to 3.77)", or the mean alone when there is no interval. */
function withInterval(mean, ci) {
  if (mean === null || mean === undefined) return "—";
  return ci ? `${fmt(mean)} (${fmt(ci[0])} to ${fmt(ci[1])})` : fmt(mean);
}

/** The cohort comparison: both arms as rows, the differences in words, and the four intervals as a chart. */
export function cohorts(view) {
  const body = document.querySelector("#cohort-table tbody");
  body.replaceChildren(...[view.a, view.b].map((arm, i) => {
    const tr = document.createElement("tr");
    cell(tr, `${i === 0 ? "A" : "B"}: ${arm.cohort}`);
    if (arm.suppressed) {
      const td = cell(tr, "fewer than k people: not shown", "suppressed");
      td.colSpan = 6;
      return tr;
    }
    cell(tr, fmt(arm.users, 0), "num");
    cell(tr, fmt(arm.sessions, 0), "num");
    cell(tr, withInterval(arm.meanReduction, arm.ci95), "num");
    cell(tr, fmt(arm.sdReduction), "num");
    cell(tr, arm.painChange === null ? "too few people with a journal" : withInterval(arm.painChange, arm.painChangeCi95), "num");
    cell(tr, fmt(arm.painChangeUsers, 0), "num");
    return tr;
  }));
  const text = document.getElementById("cohort-difference");
  if (view.difference === null) {
    text.textContent = "No comparison: an arm has fewer than k people.";
  } else {
    const g = view.hedgesG === null ? "" : `, Hedges' g ${fmt(view.hedgesG)}`;
    const pain = view.painChangeDifference === null ? ""
      : ` Pain change, A minus B: ${withInterval(view.painChangeDifference, view.painChangeDifferenceCi95)}.`;
    text.textContent = `Relief per session, A minus B: ${withInterval(view.difference, view.differenceCi95)}${g}.${pain}`;
  }
  document.getElementById("cohort-privacy").textContent = view.privacy
    ? `Released with differential privacy (${view.privacy.mechanism}): ε ${fmt(view.privacy.epsilonSpent)} spent, `
      + `${fmt(view.privacy.epsilonLeft)} left for 30 days. Every figure carries noise.`
    : "Exact figures; arms of fewer than k people are not shown.";
  cohortChart(view);
}

/** Mean relief and pain change of each arm: a dot and its 95 % interval on one axis, 0 marked. */
function cohortChart(view) {
  const ns = "http://www.w3.org/2000/svg";
  const element = document.getElementById("cohort-chart");
  element.replaceChildren();
  const rows = [];
  for (const [arm, name] of [[view.a, "A"], [view.b, "B"]]) {
    if (arm.suppressed) continue;
    rows.push({ label: `${name} relief`, mean: arm.meanReduction, ci: arm.ci95, cls: "first" });
    if (arm.painChange !== null) rows.push({ label: `${name} pain change`, mean: arm.painChange, ci: arm.painChangeCi95, cls: "second" });
  }
  if (rows.length === 0) {
    element.setAttribute("aria-label", "nothing to show");
    return;
  }
  const values = rows.flatMap((r) => [r.mean].concat(r.ci || [])).concat([0]);
  const lo = Math.min(...values) - 0.5, hi = Math.max(...values) + 0.5;
  const width = 460, left = 130, rowHeight = 28, height = rows.length * rowHeight + 24;
  const x = (v) => left + (v - lo) / (hi - lo) * (width - left - 16);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const add = (name, attrs, text) => {
    const e = document.createElementNS(ns, name);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  add("line", { class: "zero", x1: x(0), x2: x(0), y1: 4, y2: height - 20 });
  add("text", { x: x(0) - 4, y: height - 6, "font-size": 11 }, "0");
  rows.forEach((r, i) => {
    const y = 16 + i * rowHeight;
    add("text", { x: 4, y: y + 4, "font-size": 12 }, r.label);
    if (r.ci) add("line", { class: "ci", x1: x(r.ci[0]), x2: x(r.ci[1]), y1: y, y2: y });
    add("circle", { class: `dot ${r.cls}`, cx: x(r.mean), cy: y, r: 5 });
  });
  element.setAttribute("aria-label", rows.map((r) => `${r.label} ${withInterval(r.mean, r.ci)}`).join("; "));
  element.appendChild(svg);
}
