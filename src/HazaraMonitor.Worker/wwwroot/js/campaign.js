// One campaign's page (/campaigns/{id}): every figure comes from the worker's API for the chosen
// range, refreshed every RefreshSeconds. The page's state is on <main> as data attributes
// (data-state loading|ready|error, data-range, data-resolution, data-from, data-to), so tests and
// scrapers can tell which range the figures are for and when they have arrived.
import { campaignPath, getJson } from './api.js';
import { drawChart, colourOf, stackValues } from './charts.js';
import { el, formatCount, formatShare, formatTime, hashtag, isoUtc, languageName, platformName } from './format.js';
import { allowedResolution, defaultResolution, presets, refusal, widths } from './range.js';

const RefreshSeconds = 30;
const TopLanguages = 3;
const AlertsRead = 200;
const resolutionNames = { '1m': '1 minute', '1h': '1 hour', '1d': '1 day' };

const $ = (elementId) => document.getElementById(elementId);
const main = $('main');
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const api = campaignPath(id);

const state = {
  campaign: null,
  range: '24h',
  customFrom: null,
  customTo: null,
  resolution: '1h',
  paused: false,
  generation: 0,
  timer: null,
  updatedAt: null,
};

// ---- controls ----------------------------------------------------------------------------------

function currentWindow() {
  if (state.range === 'custom') return { from: state.customFrom, to: state.customTo };
  const to = Math.floor(Date.now() / 1000) * 1000;
  return { from: to - presets[state.range].span, to };
}

const toInput = (ms) => new Date(ms).toISOString().slice(0, 16);
const fromInput = (value) => (value ? Date.parse(`${value}:00Z`) : NaN);

function showRangeMessage(text) {
  $('range-message').textContent = text ?? '';
  $('range-message').hidden = !text;
}

/** Offers only the resolutions the API allows for from..to; moves off a refused one, saying so. */
function checkResolution(from, to) {
  for (const option of $('resolution').options) {
    const reason = refusal(option.value, from, to, state.range);
    option.disabled = !!reason;
    option.textContent = resolutionNames[option.value] + (reason ? ' (too many points)' : '');
  }
  const reason = refusal(state.resolution, from, to, state.range);
  if (!reason) return true;
  const allowed = allowedResolution(state.resolution, from, to, state.range);
  if (!allowed) {
    showRangeMessage(`This range is too long for any resolution (${reason}). Choose a shorter range.`);
    return false;
  }
  showRangeMessage(`${resolutionNames[state.resolution]} is not offered for this range: ${reason}. Showing ${resolutionNames[allowed]} instead.`);
  state.resolution = allowed;
  return true;
}

function selectRange(range) {
  for (const button of document.querySelectorAll('[data-range]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  $('custom').hidden = range !== 'custom';
  if (range === 'custom') {
    const { from, to } = currentWindow();
    $('custom-from').value = toInput(state.customFrom ?? from);
    $('custom-to').value = toInput(state.customTo ?? to);
    $('custom-from').focus();
    return;
  }
  state.range = range;
  state.resolution = presets[range].resolution;
  showRangeMessage(null);
  refresh();
}

function applyCustom(event) {
  event.preventDefault();
  const from = fromInput($('custom-from').value);
  const to = fromInput($('custom-to').value);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    showRangeMessage('Give both a from and a to time (UTC).');
    return;
  }
  if (from >= to) {
    showRangeMessage('The from time must be before the to time.');
    return;
  }
  Object.assign(state, { range: 'custom', customFrom: from, customTo: to, resolution: defaultResolution('custom', from, to) });
  showRangeMessage(null);
  refresh();
}

function setPaused(paused) {
  state.paused = paused;
  $('pause').setAttribute('aria-pressed', String(paused));
  $('pause').textContent = paused ? 'Resume auto-refresh' : 'Pause auto-refresh';
  showUpdated();
  if (!paused && state.updatedAt && Date.now() - state.updatedAt > RefreshSeconds * 1000) refresh();
}

function showUpdated() {
  const when = state.updatedAt ? `Updated ${formatTime(state.updatedAt, { seconds: true })}` : 'Not loaded yet';
  $('updated').textContent = `${when}; ${state.paused ? 'auto-refresh paused' : `refreshes every ${RefreshSeconds} s`}`;
  if (state.updatedAt) $('updated').dataset.updated = new Date(state.updatedAt).toISOString();
}

function keepInUrl() {
  const query = new URLSearchParams();
  if (state.range === 'custom') {
    query.set('from', isoUtc(state.customFrom));
    query.set('to', isoUtc(state.customTo));
  } else {
    query.set('range', state.range);
  }
  query.set('resolution', state.resolution);
  history.replaceState(null, '', `?${query}`);
}

function readUrl() {
  const query = new URLSearchParams(location.search);
  const from = Date.parse(query.get('from') ?? '');
  const to = Date.parse(query.get('to') ?? '');
  if (!Number.isNaN(from) && !Number.isNaN(to) && from < to) {
    Object.assign(state, { range: 'custom', customFrom: from, customTo: to, resolution: defaultResolution('custom', from, to) });
  } else if (presets[query.get('range')]) {
    state.range = query.get('range');
    state.resolution = presets[state.range].resolution;
  }
  if (widths[query.get('resolution')]) state.resolution = query.get('resolution');
}

// ---- loading -------------------------------------------------------------------------------------

async function refresh() {
  const generation = ++state.generation;
  const { from, to } = currentWindow();
  if (!checkResolution(from, to)) {
    main.dataset.state = 'error';
    return;
  }
  $('resolution').value = state.resolution;
  keepInUrl();
  main.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');

  const range = { from: isoUtc(from), to: isoUtc(to) };
  const series = (extra = {}) => getJson(`${api}/series`, { resolution: state.resolution, ...range, ...extra });
  const campaign = state.campaign;
  // Distinct authors are kept in hour and day buckets only: at 1 minute, the authors chart reads hours.
  const authorsResolution = state.resolution === '1m' ? '1h' : state.resolution;
  const [summary, total, platforms, alerts, incidents, counter, authors] = await Promise.allSettled([
    getJson(`${api}/summary`, range),
    series(),
    Promise.all(campaign.platforms.map((platform) => series({ platform }))),
    getJson(`${api}/alerts`, { limit: AlertsRead }),
    getJson(`${api}/incidents`, range),
    campaign.counterHashtags?.length ? series({ group: 'counter' }) : Promise.resolve(null),
    authorsResolution === state.resolution ? null : series({ resolution: authorsResolution }),
  ]);
  const languages = summary.status === 'fulfilled'
    ? await Promise.allSettled((summary.value.languages ?? []).slice(0, TopLanguages).map((l) => series({ language: l.language }).then((s) => ({ ...s, language: l.language }))))
    : [];
  if (generation !== state.generation) return; // A newer range was chosen meanwhile: its answers win.

  const problems = [];
  const attempt = (what, result, render) => {
    if (result.status === 'rejected') {
      problems.push(`${what}: ${result.reason.message}`);
      return;
    }
    try {
      render(result.value);
    } catch (e) {
      problems.push(`${what}: ${e.message}`);
      console.error(e);
    }
  };

  attempt('Totals', summary, (s) => renderSummary(s, range));
  const markers = [];
  const events = [];
  attempt('Alerts', alerts, (list) => collectAlerts(list, from, to, markers, events));
  if (incidents.status === 'fulfilled') {
    collectIncidents(incidents.value, markers, events);
    $('events-note').textContent = '';
  } else {
    $('events-note').textContent = `Incidents could not be read: ${incidents.reason.message}`;
  }
  renderEvents(events);
  if (total.status === 'fulfilled' && platforms.status === 'fulfilled') {
    attempt('Posts over time', total, (t) => renderVolume(t, platforms.value, markers));
    attempt('Unique authors over time', authorsResolution === state.resolution ? total : authors, renderAuthors);
  } else {
    problems.push(`Posts over time: ${(total.reason ?? platforms.reason).message}`);
  }
  attempt('Languages over time', { status: 'fulfilled', value: languages }, renderLanguageSeries);
  attempt('Counter-hashtags over time', counter, (c) => renderCounterSeries(c, total.value));

  const error = $('error');
  error.replaceChildren(...(problems.length ? [el('p', {}, 'Some figures could not be read; those shown may be out of date.'), el('ul', {}, problems.map((p) => el('li', {}, p)))] : []));
  error.hidden = !problems.length;
  Object.assign(main.dataset, { range: state.range, resolution: state.resolution, from: range.from, to: range.to });
  main.dataset.state = summary.status === 'fulfilled' ? 'ready' : 'error';
  main.removeAttribute('aria-busy');
  state.updatedAt = Date.now();
  showUpdated();
}

// ---- rendering -----------------------------------------------------------------------------------

function figure(label, metric, value, text) {
  return el('div', { class: 'figure' },
    el('dt', {}, label),
    el('dd', { dataset: { metric, ...(value === null || value === undefined ? {} : { value: String(value) }) } }, text ?? formatCount(value)));
}

function renderSummary(s, range) {
  const headline = $('headline');
  Object.assign(headline.dataset, { from: s.from, to: s.to, resolution: s.resolution });
  const rounded = s.from !== range.from || s.to !== range.to;
  $('range-label').textContent = `Totals for ${formatTime(s.from)} to ${formatTime(s.to)}`
    + (rounded ? ` (the chosen range, widened to whole ${s.resolution === '1d' ? 'days' : 'hours'}: totals are kept per ${s.resolution === '1d' ? 'day' : 'hour'})` : '');

  const byPlatform = new Map((s.platforms ?? []).map((p) => [p.platform, p]));
  $('figures').replaceChildren(...[
    figure('All posts', 'posts-total', s.total),
    ...state.campaign.platforms.map((p) => figure(platformName(p), `posts-${p}`, byPlatform.get(p)?.count ?? null)),
    figure('Unique authors', 'authors-unique', s.authors, s.authors === null ? 'not available' : undefined),
    figure('Polls succeeded', 'completeness', s.completeness, s.completeness === null ? 'no polls' : formatShare(s.completeness)),
    s.counter?.hashtags?.length ? figure('Share of voice', 'share-of-voice', s.counter.shareOfVoice, formatShare(s.counter.shareOfVoice)) : null,
  ].filter(Boolean));

  const polls = (s.pollsFailed ?? 0) + (s.pollsOk ?? 0);
  const note = $('completeness-note');
  note.textContent = s.pollsFailed > 0
    ? `${formatCount(s.pollsFailed)} of ${formatCount(polls)} polls failed or were rate-limited in this range; the totals may be short.`
    : polls === 0 ? 'No polls were recorded in this range: the figures may be empty because nothing was read, not because nothing was posted.' : '';
  note.hidden = !note.textContent;

  $('platform-table').tBodies[0].replaceChildren(...state.campaign.platforms.map((p) => {
    const row = byPlatform.get(p);
    return el('tr', { dataset: { platform: p } },
      el('th', { scope: 'row' }, platformName(p)),
      el('td', {}, formatCount(row?.count)),
      el('td', {}, row?.reported === null || row?.reported === undefined ? 'does not report' : formatCount(row.reported)),
      el('td', {}, row?.authors === null || row?.authors === undefined ? 'not available' : formatCount(row.authors)),
      el('td', {}, formatShare(row?.completeness), row?.pollsFailed ? el('span', { class: 'muted' }, ` (${formatCount(row.pollsFailed)} of ${formatCount(row.pollsFailed + row.pollsOk)} failed)`) : null));
  }));

  renderLanguages(s.languages ?? []);
  renderCounts($('hashtags'), s.hashtags ?? [], (h) => h.hashtag, 'No posts with the campaign\'s hashtags in this range.');
  renderCounts($('cohashtags'), s.coHashtags ?? [], (h) => h.hashtag, 'No other hashtags were posted with the campaign\'s in this range.');
  renderCounter(s.counter, byPlatform, s.total);
  renderTopPosts(s.topPosts ?? []);
}

function renderCounts(table, rows, name, empty) {
  table.tBodies[0].replaceChildren(...(rows.length
    ? rows.map((r) => el('tr', {}, el('td', { dir: 'auto', class: 'hashtag' }, hashtag(name(r))), el('td', {}, formatCount(r.count))))
    : [el('tr', {}, el('td', { colspan: 2, class: 'muted' }, empty))]));
}

function renderLanguages(languages) {
  const sum = languages.reduce((a, l) => a + l.count, 0);
  $('languages').tBodies[0].replaceChildren(...(languages.length
    ? languages.map((l) => el('tr', { dataset: { language: l.language ?? 'und' } },
      el('th', { scope: 'row' }, languageName(l.language)),
      el('td', {}, formatCount(l.count)),
      el('td', {}, el('meter', { min: 0, max: 1, value: sum ? l.count / sum : 0, 'aria-hidden': 'true' }), ' ', formatShare(sum ? l.count / sum : null))))
    : [el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No posts in this range.'))]));
}

function renderCounter(counter, own, total) {
  const box = $('counter');
  if (!counter?.hashtags?.length) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No counter-hashtags are configured for this campaign (Campaigns:N:CounterHashtags in the worker\'s configuration).'));
    return;
  }
  const share = counter.shareOfVoice;
  box.replaceChildren(
    el('p', {}, 'Counter-hashtags watched: ', ...(counter.perHashtag ?? counter.hashtags.map((hashtag) => ({ hashtag, count: null })))
      .flatMap((h, i) => [i ? ', ' : '', el('span', { dir: 'auto', class: 'hashtag' }, hashtag(h.hashtag)), h.count === null ? '' : ` (${formatCount(h.count)})`])),
    el('div', { class: 'voice', role: 'img', 'aria-label': `Share of voice: the campaign ${formatShare(share)}, counter-hashtags ${formatShare(share === null ? null : 1 - share)}` },
      el('meter', { min: 0, max: 1, value: share ?? 0, 'aria-hidden': 'true' }),
      el('span', {}, `Campaign ${formatShare(share)} · counter-hashtags ${formatShare(share === null ? null : 1 - share)} of the posts of both`)),
    el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Posts per platform, side by side' }, el('table', { class: 'numbers' },
      el('caption', {}, 'Posts per platform, side by side'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Platform'), el('th', { scope: 'col' }, 'Campaign'), el('th', { scope: 'col' }, 'Counter-hashtags'))),
      el('tbody', {}, state.campaign.platforms.map((p) => el('tr', {},
        el('th', { scope: 'row' }, platformName(p)),
        el('td', {}, formatCount(own.get(p)?.count)),
        el('td', {}, formatCount(counter.platforms?.find((c) => c.platform === p)?.count ?? 0)))),
      el('tr', { class: 'sum' }, el('th', { scope: 'row' }, 'All'), el('td', {}, formatCount(total)), el('td', {}, formatCount(counter.total)))))));
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function renderTopPosts(posts) {
  $('top-posts').replaceChildren(...(posts.length ? posts.map((post) => {
    const url = safeUrl(post.url);
    return el('li', { dataset: { platform: post.platform } },
      el('p', { class: 'post-meta' },
        el('span', { class: 'badge' }, platformName(post.platform)), ' ',
        el('bdi', { class: 'author' }, post.author || 'unknown author'), ' · ',
        el('time', { datetime: post.createdAt }, formatTime(post.createdAt)), ' · ',
        `engagement ${formatCount(post.engagement)}`),
      el('p', { class: 'post-text', dir: 'auto', lang: post.language && post.language !== 'und' ? post.language : null }, post.text),
      url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, `Open the original on ${platformName(post.platform)}`, el('span', { class: 'visually-hidden' }, ' (opens a new tab)')) : null);
  }) : [el('li', { class: 'muted' }, 'No posts in this range.')]));
}

function collectAlerts(alerts, from, to, markers, events) {
  for (const alert of alerts) {
    const time = Date.parse(alert.since);
    if (time < from || time > to) continue;
    const where = alert.platform === 'all' ? 'all platforms' : platformName(alert.platform);
    const title = `${alert.direction === 'dip' ? 'Dip' : 'Surge'} on ${where}: ${formatCount(alert.volume)} posts against ${formatCount(alert.expected)} expected`;
    const anchor = `event-alert-${alert.id}`;
    markers.push({ kind: 'alert', time, title: `Alert, ${formatTime(time)}: ${title}`, href: `#${anchor}` });
    events.push({ time, node: el('li', { id: anchor, class: 'alert', dataset: { kind: 'alert' } },
      el('span', { class: 'kind' }, '▲ Alert'), ' ', el('time', { datetime: alert.since }, formatTime(time)), ' ', title,
      alert.completeness < 1 ? el('span', { class: 'warning' }, ` (only ${formatShare(alert.completeness)} of that minute's polls succeeded${alert.platform === 'all' ? ' on the least complete platform' : ''})`) : null) });
  }
}

function collectIncidents(incidents, markers, events) {
  for (const incident of incidents) {
    const time = Date.parse(incident.time);
    const anchor = `event-incident-${incident.id}`;
    const link = incident.link ? safeUrl(incident.link) : null;
    markers.push({ kind: 'incident', time, title: `Incident, ${formatTime(time)}: ${incident.title}${incident.place ? ` (${incident.place})` : ''}`, href: `#${anchor}` });
    events.push({ time, node: el('li', { id: anchor, class: 'incident', dataset: { kind: 'incident' } },
      el('span', { class: 'kind' }, '● Incident'), ' ', el('time', { datetime: incident.time }, formatTime(time)), ' ',
      el('span', { dir: 'auto' }, incident.title),
      incident.place ? [' (', el('span', { dir: 'auto' }, incident.place), ')'] : null,
      link ? [' ', el('a', { href: link, rel: 'noopener noreferrer', target: '_blank' }, 'source')] : null) });
  }
}

function renderEvents(events) {
  events.sort((a, b) => a.time - b.time);
  $('events').replaceChildren(...(events.length ? events.map((e) => e.node) : [el('li', { class: 'muted' }, 'No alerts or incidents in this range.')]));
}

/** Spans of buckets whose polls did not all succeed, merged where they touch. */
function gapsOf(points, width) {
  const gaps = [];
  for (const p of points) {
    if (p.completeness === null || p.completeness === undefined || p.completeness >= 1) continue;
    const start = Date.parse(p.t);
    const last = gaps.at(-1);
    if (last && last.to === start) {
      last.to = start + width;
      last.worst = Math.min(last.worst, p.completeness);
    } else {
      gaps.push({ from: start, to: start + width, worst: p.completeness });
    }
  }
  return gaps.map((g) => ({ ...g, title: `${formatTime(g.from)} to ${formatTime(g.to)}: as few as ${formatShare(g.worst)} of polls succeeded; counts may be short` }));
}

function valuesAt(times, seriesView, field = 'count') {
  const byTime = new Map(seriesView.points.map((p) => [Date.parse(p.t), p[field] ?? null]));
  return times.map((t) => byTime.get(t) ?? null);
}

/** The time axis of a series answer: from its first bucket to the end of the range asked for. */
const axisOf = (seriesView) => ({ span: [Date.parse(seriesView.from), Date.parse(seriesView.to)], width: widths[seriesView.resolution] });

function renderVolume(total, perPlatform, markers) {
  const times = total.points.map((p) => Date.parse(p.t));
  const platforms = state.campaign.platforms;
  const counts = perPlatform.map((s) => valuesAt(times, s));
  const stacked = stackValues(counts);
  const lines = platforms.map((p, i) => ({ label: platformName(p), values: stacked[i], raw: counts[i], colour: colourOf(p, i) }));
  lines.push({ label: 'All platforms', values: valuesAt(times, total), colour: '#000000', width: 2 });
  perPlatform.forEach((s, i) => {
    const reported = valuesAt(times, s, 'reported');
    if (reported.some((v) => v !== null)) lines.push({ label: `${platformName(platforms[i])}, platform reports`, values: reported, colour: colourOf(platforms[i], i), dash: [6, 4] });
  });
  drawChart($('volume-chart'), { times, lines, ...axisOf(total), stack: platforms.length, layer: { gaps: gapsOf(total.points, widths[state.resolution]), markers } });
  $('volume-chart').dataset.points = String(times.length);
}

function renderAuthors(total) {
  const times = total.points.map((p) => Date.parse(p.t));
  drawChart($('authors-chart'), { times, ...axisOf(total), lines: [{ label: 'Unique authors', values: valuesAt(times, total, 'authors'), colour: '#0072B2' }] });
}

function renderLanguageSeries(results) {
  const good = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  if (!good.length) {
    $('languages-chart').replaceChildren(el('p', { class: 'muted' }, results.length ? `The languages' series could not be read: ${results[0].reason.message}` : 'No languages to chart.'));
    $('languages-chart')._chart = null;
    return;
  }
  const times = good[0].points.map((p) => Date.parse(p.t));
  drawChart($('languages-chart'), { times, ...axisOf(good[0]), lines: good.map((s, i) => ({ label: languageName(s.language), values: valuesAt(times, s), colour: colourOf(`lang-${i}`, i) })) });
}

function renderCounterSeries(counter, total) {
  const chart = $('counter-chart');
  if (!counter || !total) {
    chart._chart?.destroy();
    chart._chart = null;
    chart.replaceChildren();
    chart.hidden = true;
    return;
  }
  chart.hidden = false;
  const times = total.points.map((p) => Date.parse(p.t));
  drawChart(chart, { times, ...axisOf(total), lines: [
    { label: 'The campaign', values: valuesAt(times, total), colour: '#0072B2', width: 2 },
    { label: 'Counter-hashtags', values: valuesAt(times, counter), colour: '#D55E00', width: 2 },
  ] });
}

// ---- start ---------------------------------------------------------------------------------------

async function start() {
  readUrl();
  try {
    const campaigns = await getJson('/api/campaigns');
    state.campaign = campaigns.find((c) => c.id === id);
  } catch (e) {
    $('error').textContent = `The campaign could not be read: ${e.message}`;
    $('error').hidden = false;
    main.dataset.state = 'error';
    return;
  }
  if (!state.campaign) {
    $('error').textContent = `This worker follows no campaign '${id}'.`;
    $('error').hidden = false;
    main.dataset.state = 'error';
    return;
  }
  const c = state.campaign;
  document.title = `${c.name} · HazaraMonitor`;
  $('title').textContent = c.name;
  $('subtitle').replaceChildren(
    ...c.hashtags.flatMap((h, i) => [i ? ' ' : '', el('span', { class: 'hashtag', dir: 'auto' }, hashtag(h))]),
    ` on ${c.platforms.map(platformName).join(', ')}`);
  $('api-link').href = api;
  main.dataset.platforms = c.platforms.join(' ');

  for (const button of document.querySelectorAll('[data-range]')) button.addEventListener('click', () => selectRange(button.dataset.range));
  $('controls').addEventListener('submit', applyCustom);
  $('resolution').addEventListener('change', () => {
    state.resolution = $('resolution').value;
    showRangeMessage(null);
    refresh();
  });
  $('pause').addEventListener('click', () => setPaused(!state.paused));
  state.timer = setInterval(() => {
    if (!state.paused && !document.hidden) refresh();
  }, RefreshSeconds * 1000);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !state.paused && state.updatedAt && Date.now() - state.updatedAt > RefreshSeconds * 1000) refresh();
  });

  for (const button of document.querySelectorAll('[data-range]')) button.setAttribute('aria-pressed', String(button.dataset.range === state.range));
  $('custom').hidden = state.range !== 'custom';
  if (state.range === 'custom') {
    $('custom-from').value = toInput(state.customFrom);
    $('custom-to').value = toInput(state.customTo);
  }
  await refresh();
}

start();
