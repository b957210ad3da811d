// The API client: every call carries the token; problem+json answers become Errors with a status.
export class ApiError extends Error {
  constructor(status, title, retryAfter, errors = [], type = "about:blank") {
    super(title);
    this.status = status;
    this.type = type; // the problem's type URI
    this.retryAfter = retryAfter;
    this.errors = errors; // problem+json "errors": [{field, message}]
  }
}

export function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "=".repeat((4 - part.length % 4) % 4)));
  } catch {
    return null;
  }
}

export async function call(token, path, accept = "application/json", method = "GET", body = undefined) {
  const headers = { Authorization: `Bearer ${token}`, Accept: accept };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let title = response.statusText;
    let errors = [];
    let type;
    try {
      const problem = await response.json();
      title = problem.detail || problem.title || title;
      errors = Array.isArray(problem.errors) ? problem.errors : [];
      type = problem.type;
    } catch { /* not problem+json */ }
    throw new ApiError(response.status, title, Number(response.headers.get("Retry-After") || 0), errors, type);
  }
  return accept === "application/json" ? response.json() : accept === "application/pdf" ? response.blob() : response.text();
}

/**
 * Reads GET /v1/stream with fetch (EventSource cannot send the Authorization header) and calls
 * onEvent(name, data) per event. Resolves when the stream ends; rejects with an ApiError for a refusal.
 */
export async function stream(token, onEvent, signal) {
  const response = await fetch("/v1/stream", { headers: { Authorization: `Bearer ${token}` }, signal });
  if (!response.ok) {
    throw new ApiError(response.status, response.statusText, 0);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (block.split("\n").every((l) => l.startsWith(":") || l.startsWith("retry:"))) continue;
      onEvent(name, data ? JSON.parse(data) : null);
    }
  }
}
