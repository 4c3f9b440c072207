// The worker's JSON API, as the page reads it. Errors carry the API's own message (a problem
// document's "detail"), so the page can show it as it is.

export class ApiError extends Error {
  constructor(message, status, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
}

/** GET a JSON document; params with null/undefined/"" values are left out. */
export async function getJson(path, params = {}, { signal } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, value);
  }
  const url = query.size ? `${path}?${query}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(`The worker did not answer ${path} (${e.message}).`, 0, path);
  }
  if (!response.ok) {
    let detail = '';
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || '';
    } catch {
      // Not a problem document (an unmapped route answers 404 with no body).
    }
    throw new ApiError(detail || `${path} answered ${response.status} ${response.statusText}.`, response.status, path);
  }
  return response.json();
}

export const campaignPath = (id) => `/api/campaigns/${encodeURIComponent(id)}`;
