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
  const max = Math.max(1, ...view.techniques.map((t) => (t.ci95 ? t.ci95[1] : t.meanReduction)));
  body.replaceChildren(...view.techniques.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.technique = t.technique;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = names[t.technique] || t.technique;
    tr.appendChild(th);
    const bar = cell(tr, "");
    bar.appendChild(errorBar(t, max));
    bar.append(` ${fmt(t.meanReduction)}`);
    cell(tr, t.sessions, "num");
    cell(tr, t.users, "num");
    cell(tr, t.responderRate === null ? "—" : `${fmt(t.responderRate * 100, 0)} %`, "num");
    cell(tr, cost(t.costPerPointByCurrency));
    return tr;
  }));
}

export function personal(view, names) {
  const body = document.querySelector("#mine-table tbody");
  body.replaceChildren(...view.techniques.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.technique = t.technique;
    cell(tr, names[t.technique] || t.technique);
    cell(tr, fmt(t.estimate), "num");
    cell(tr, t.sessions, "num");
    cell(tr, fmt(t.meanReduction), "num");
    cell(tr, t.enoughData ? "enough data" : "not enough data yet (fewer than 3 sessions)", t.enoughData ? "" : "mark");
    return tr;
  }));
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
  const sessions = weeks.reduce((n, w) => n + w.sessions, 0);
  document.getElementById("trend-summary").textContent =
    `${name}: ${weeks.length} ${weeks.length === 1 ? "week" : "weeks"}, ${sessions} sessions`;
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
