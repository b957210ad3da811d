// The dashboard: sign-in, the views (population, trend, mine, my trial, research), and live updates
// over GET /v1/stream.
import { ApiError, call, claims, stream } from "/ui/api.js";
import * as render from "/ui/render.js";

const KEY = "painjournal.token";
const $ = (id) => document.getElementById(id);
let token = null;
let who = null;
let names = {};
let streamAbort = null;

function show(signedIn) {
  $("signin").hidden = signedIn;
  $("main").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
}

function note(text) {
  $("note").textContent = text;
}

/** Runs a view's refresh; a 503 or 429 is retried after Retry-After, a 401 signs out. */
async function guarded(work) {
  try {
    await work();
    note("");
  } catch (e) {
    if (e instanceof ApiError && e.type === "urn:pain-journal:problem:privacy-budget-spent") {
      note(`Not released: ${e.message}`); // retrying would be refused again
    } else if (e instanceof ApiError && (e.status === 503 || e.status === 429)) {
      note(e.status === 503 ? "Analytics is catching up; retrying…" : "Too many requests; retrying…");
      setTimeout(() => guarded(work), 1000 * Math.max(1, e.retryAfter));
    } else if (e instanceof ApiError && e.status === 401) {
      signOut("Your token is no longer valid or has expired. Paste a fresh one.");
    } else {
      note(`Could not load: ${e.message}`);
    }
  }
}

async function loadPopulation() {
  const view = await call(token, "/v1/techniques");
  render.population(view, names);
  const select = $("trend-technique");
  const known = new Set([...select.options].map((o) => o.value));
  for (const t of view.techniques) {
    if (!known.has(t.technique)) {
      select.add(new Option(names[t.technique] || t.technique, t.technique));
    }
  }
}

async function loadTrend() {
  const technique = $("trend-technique").value;
  if (!technique) return;
  const q = new URLSearchParams();
  if ($("trend-from").value) q.set("from", $("trend-from").value);
  if ($("trend-to").value) q.set("to", $("trend-to").value);
  const view = await call(token, `/v1/techniques/${encodeURIComponent(technique)}/trend?${q}`);
  render.trend(view, names[technique] || technique);
}

async function loadMine() {
  if ($("mine").hidden) return;
  const user = encodeURIComponent(who.sub);
  render.personal(await call(token, `/v1/users/${user}/techniques`), names);
  render.journal(await call(token, `/v1/users/${user}/journal`));
}

let trials = [];

async function loadTrials() {
  if ($("trial").hidden) return;
  const user = encodeURIComponent(who.sub);
  trials = (await call(token, `/v1/users/${user}/trials`)).trials;
  const select = $("trial-select");
  const chosen = select.value;
  select.replaceChildren(...trials.map((t) => new Option(
    `${names[t.techniques[0]] || t.techniques[0]} vs ${names[t.techniques[1]] || t.techniques[1]}, from ${t.startDate} (${t.status})`,
    t.trialId)));
  if (trials.some((t) => t.trialId === chosen)) select.value = chosen;
  $("trial-view").hidden = trials.length === 0;
  showTrial();
}

function showTrial() {
  const trial = trials.find((t) => t.trialId === $("trial-select").value);
  if (!trial) return;
  render.trialStatus(trial, names);
  const pair = trial.techniques.map(encodeURIComponent).join(",");
  guarded(async () => {
    $("trial-population").textContent = render.populationText(await call(token, `/v1/trials/summary?techniques=${pair}`), names);
  });
}

function trialErrors(errors) {
  for (const p of document.querySelectorAll("#trial-form .error")) p.hidden = true;
  for (const e of errors) {
    const id = `trial-error-${e.field.replace(/\[(\d)\]/, "-$1")}`;
    const p = $(id) || $("trial-error");
    p.textContent = `${e.field} ${e.message}`;
    p.hidden = false;
  }
}

async function createTrial(event) {
  event.preventDefault();
  const number = (id) => ($(id).value.trim() === "" ? undefined : Number($(id).value));
  const body = {
    trialId: crypto.randomUUID(),
    techniques: [$("trial-first").value, $("trial-second").value],
    startDate: $("trial-start").value,
    periodDays: number("trial-period"),
    pairs: number("trial-pairs"),
    washoutDays: number("trial-washout"),
  };
  try {
    await call(token, `/v1/users/${encodeURIComponent(who.sub)}/trials`, "application/json", "POST", body);
    trialErrors([]);
    $("trial-select").value = "";
    for (let i = 0; i < 20 && !trials.some((t) => t.trialId === body.trialId); i++) {
      await new Promise((r) => setTimeout(r, 250));
      await loadTrials();
    }
    $("trial-select").value = body.trialId;
    showTrial();
  } catch (e) {
    if (e instanceof ApiError && e.status === 400 && e.errors.length) {
      trialErrors(e.errors);
    } else {
      trialErrors([{ field: "", message: `Could not start the trial: ${e.message}` }]);
    }
  }
}

/** The trial's report for a clinician: GET …/trials/{id}/report.pdf, saved as a file. */
async function downloadReport() {
  const id = $("trial-select").value;
  const pdf = await call(token, `/v1/users/${encodeURIComponent(who.sub)}/trials/${id}/report.pdf`, "application/pdf");
  saveFile(pdf, "application/pdf", "trial-report.pdf");
}

async function downloadCalendar() {
  const id = $("trial-select").value;
  const text = await call(token, `/v1/users/${encodeURIComponent(who.sub)}/trials/${id}/calendar.ics`, "text/calendar");
  saveFile(text, "text/calendar", "trial.ics");
}

function researchQuery(format) {
  const q = new URLSearchParams({ format });
  for (const [id, name] of [["research-from", "from"], ["research-to", "to"], ["research-technique", "technique"],
    ["research-cohort", "cohort"], ["research-min-users", "minUsers"]]) {
    if ($(id).value.trim()) q.set(name, $(id).value.trim());
  }
  return `/v1/research/trends?${q}`;
}

/** Everything the server holds of me, as a file: GET /v1/users/{me}/export (NDJSON or a FHIR Bundle). */
async function downloadMyData(format) {
  const type = format === "fhir" ? "application/fhir+json" : "application/x-ndjson";
  const text = await call(token, `/v1/users/${encodeURIComponent(who.sub)}/export?format=${format}`, type);
  saveFile(text, type, `my-pain-journal.${format === "fhir" ? "fhir.json" : "ndjson"}`);
}

function saveFile(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function download(format) {
  const type = format === "csv" ? "text/csv" : "application/x-ndjson";
  saveFile(await call(token, researchQuery(format), type), type, `research-trends.${format}`);
}

async function refreshAll() {
  await guarded(loadPopulation);
  await guarded(loadTrend);
  await guarded(loadMine);
  await guarded(loadTrials);
  $("live-status").textContent = `${streamAbort ? "Live" : "Reconnecting…"} · updated ${new Date().toLocaleTimeString()}`;
}

let pending = null;
function refreshSoon() { // at most one refresh per 300 ms, however many events arrive
  if (!pending) pending = setTimeout(() => { pending = null; refreshAll(); }, 300);
}

async function live() {
  let backoff = 1000;
  while (token) {
    const controller = new AbortController();
    try {
      await stream(token, (name) => {
        if (name === "ready") {
          streamAbort = controller;
          backoff = 1000;
          $("live-status").textContent = "Live";
          refreshSoon();
        } else if (name === "changed") {
          refreshSoon();
        }
      }, controller.signal);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        signOut("Your token is no longer valid or has expired. Paste a fresh one.");
        return;
      }
    }
    if (streamAbort === controller) streamAbort = null;
    if (!token) return;
    $("live-status").textContent = "Reconnecting…";
    await new Promise((r) => setTimeout(r, backoff));
    backoff = Math.min(10000, backoff * 2);
  }
}

async function signIn(candidate) {
  const error = $("sign-in-error");
  error.hidden = true;
  const c = claims(candidate);
  const fail = (text) => { error.textContent = text; error.hidden = false; };
  if (!c) return fail("This token is not valid or has expired. Paste a fresh one.");
  if (c.exp && c.exp * 1000 < Date.now()) return fail("This token has expired. Paste a fresh one.");
  try {
    const catalogue = await call(candidate, "/v1/catalogue");
    names = Object.fromEntries((catalogue.techniques || []).map((t) => [t.id, t.name || t.id]));
  } catch (e) {
    return fail(e instanceof ApiError && e.status === 401
      ? "This token is not valid or has expired. Paste a fresh one."
      : `Could not sign in: ${e.message}`);
  }
  token = candidate;
  who = c;
  sessionStorage.setItem(KEY, token);
  const roles = Array.isArray(c.roles) ? c.roles : [];
  $("whoami").textContent = `Signed in as ${c.sub} (${roles.join(", ") || "no roles"})`;
  $("mine").hidden = !(roles.includes("user") || roles.includes("admin"));
  $("trial").hidden = !roles.includes("user");
  for (const id of ["trial-first", "trial-second"]) {
    const select = $(id);
    if (select.options.length === 0) {
      Object.entries(names).forEach(([tid, name]) => select.add(new Option(name, tid)));
    }
  }
  if ($("trial-second").selectedIndex === 0 && $("trial-second").options.length > 1) $("trial-second").selectedIndex = 1;
  if (!$("trial-start").value) $("trial-start").value = new Date().toISOString().slice(0, 10);
  $("research").hidden = !(roles.includes("researcher") || roles.includes("admin"));
  for (const id of ["research-technique", "cohort-technique"]) {
    const select = $(id);
    if (select.options.length === 1) {
      Object.entries(names).forEach(([tid, name]) => select.add(new Option(name, tid)));
    }
  }
  show(true);
  await refreshAll();
  live();
}

/** GET /v1/research/cohorts with the panel's choices; a bad choice or a spent budget is shown, not retried. */
async function compareCohorts() {
  const q = new URLSearchParams({ a: $("cohort-a").value.trim(), b: $("cohort-b").value.trim(), days: $("cohort-days").value });
  if ($("cohort-technique").value) q.set("technique", $("cohort-technique").value);
  if ($("cohort-dp").checked) {
    q.set("privacy", "dp");
    q.set("epsilon", $("cohort-epsilon").value);
  }
  const error = $("cohort-error");
  try {
    render.cohorts(await call(token, `/v1/research/cohorts?${q}`));
    error.hidden = true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 400 || e.status === 429)) {
      error.textContent = e.errors.length ? e.errors.map((f) => `${f.field} ${f.message}`).join("; ") : e.message;
      error.hidden = false;
    } else {
      guarded(() => { throw e; });
    }
  }
}

function signOut(message) {
  token = null;
  who = null;
  sessionStorage.removeItem(KEY);
  if (streamAbort) streamAbort.abort();
  streamAbort = null;
  show(false);
  $("live-status").textContent = "Not connected";
  $("whoami").textContent = "";
  if (message) {
    $("sign-in-error").textContent = message;
    $("sign-in-error").hidden = false;
  }
}

$("sign-in").addEventListener("click", () => signIn($("token").value.trim()));
$("sign-out").addEventListener("click", () => signOut());
for (const id of ["trend-technique", "trend-from", "trend-to"]) {
  $(id).addEventListener("change", () => guarded(loadTrend));
}
$("research-load").addEventListener("click", () => guarded(async () => {
  render.research(await call(token, researchQuery("ndjson"), "application/x-ndjson"));
}));
$("download-csv").addEventListener("click", () => guarded(() => download("csv")));
$("export-ndjson").addEventListener("click", () => guarded(() => downloadMyData("ndjson")));
$("export-fhir").addEventListener("click", () => guarded(() => downloadMyData("fhir")));
$("cohort-compare").addEventListener("click", () => compareCohorts());
$("trial-form").addEventListener("submit", (e) => createTrial(e));
$("trial-select").addEventListener("change", showTrial);
$("trial-calendar").addEventListener("click", () => guarded(downloadCalendar));
$("trial-report").addEventListener("click", () => guarded(downloadReport));
$("trial-cancel").addEventListener("click", () => guarded(async () => {
  await call(token, `/v1/users/${encodeURIComponent(who.sub)}/trials/${$("trial-select").value}`, "application/json", "DELETE");
  setTimeout(() => guarded(loadTrials), 300);
}));
$("download-ndjson").addEventListener("click", () => guarded(() => download("ndjson")));

show(false);
const stored = sessionStorage.getItem(KEY);
if (stored) {
  $("token").value = stored;
  signIn(stored);
}
