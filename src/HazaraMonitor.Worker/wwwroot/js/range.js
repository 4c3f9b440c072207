// Ranges and resolutions, by the API's rules (CampaignEndpoints): a series request may hold at most
// MaxPoints buckets, counted from the bucket that holds `from` to the one that holds `to`.

export const MaxPoints = 7 * 24 * 60;

export const widths = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The preset ranges, each with the resolution it opens with. */
export const presets = {
  '1h': { span: hour, resolution: '1m', label: 'the last hour' },
  '24h': { span: day, resolution: '1h', label: 'the last 24 hours' },
  '7d': { span: 7 * day, resolution: '1h', label: 'the last 7 days' },
  '30d': { span: 30 * day, resolution: '1d', label: 'the last 30 days' },
};

/** Buckets of a resolution a series from..to holds, as the API counts them. */
export function bucketCount(resolution, from, to) {
  const width = widths[resolution];
  if (to <= from) return 0;
  const first = from - (from % width);
  return Math.ceil((to - first) / width);
}

/** Why the API would refuse this resolution for this range, or null when it would not. */
export function refusal(resolution, from, to) {
  const count = bucketCount(resolution, from, to);
  return count > MaxPoints
    ? `${count.toLocaleString('en')} buckets of ${resolution}, and the API answers at most ${MaxPoints.toLocaleString('en')} per request`
    : null;
}

/** The resolution a range opens with: the preset's, else the finest the API allows with at least two buckets. */
export function defaultResolution(range, from, to) {
  if (presets[range]) return presets[range].resolution;
  const span = to - from;
  if (span <= 6 * hour) return '1m';
  if (span <= 14 * day) return '1h';
  return '1d';
}

/** The nearest resolution to `wanted` the API allows for from..to (coarser first), or null. */
export function allowedResolution(wanted, from, to) {
  const order = ['1m', '1h', '1d'];
  for (const resolution of order.slice(order.indexOf(wanted))) {
    if (!refusal(resolution, from, to)) return resolution;
  }
  return null;
}
