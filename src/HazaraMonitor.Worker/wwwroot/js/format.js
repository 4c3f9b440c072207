// How figures and times read on the page. Times are UTC throughout, as the API gives them.

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
let languageNames = null;
try {
  languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
} catch {
  // Older browsers: the codes themselves.
}

export const formatCount = (n) => (n === null || n === undefined ? '—' : integer.format(n));

export const formatShare = (share) => (share === null || share === undefined ? '—' : percent.format(share));

/** "2022-10-01 09:30 UTC" */
export function formatTime(value, { seconds = false } = {}) {
  const iso = new Date(value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
}

/** An ISO-8601 UTC time without milliseconds, as the API writes them: 2022-10-01T00:00:00Z. */
export const isoUtc = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A language code's English name, with the code: "Persian (fa)"; "und" and null read "unknown". */
export function languageName(code) {
  if (!code || code === 'und') return 'Unknown';
  try {
    const name = languageNames?.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** A hashtag as people write it: with its '#', which the API's display spellings leave out. */
export const hashtag = (text) => (text.startsWith('#') ? text : `#${text}`);

const platformNames = {
  x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky', reddit: 'Reddit', youtube: 'YouTube',
  tiktok: 'TikTok', instagram: 'Instagram', threads: 'Threads',
};

export const platformName = (id) => platformNames[id] ?? id;

/** Creates an element with attributes and children (strings become text: never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
