// Ranges and resolutions, by the API's rules (CampaignEndpoints): a series request may hold at most
// MaxPoints buckets, counted from the bucket that holds `from` to the one that holds `to`.

export const MaxPoints = 7 * 24 * 60;

export const widths = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * The preset ranges, each with the resolution it opens with and those it offers. 7 days of minutes
 * are 10,080 buckets, 10,081 unless "now" falls on a whole minute: one more than the API answers.
 */
export const presets = {
  '1h': { span: hour, resolution: '1m', offers: ['1m', '1h', '1d'] },
  '24h': { span: day, resolution: '1h', offers: ['1m', '1h', '1d'] },
  '7d': { span: 7 * day, resolution: '1h', offers: ['1h', '1d'] },
  '30d': { span: 30 * day, resolution: '1d', offers: ['1h', '1d'] },
};

/** Buckets of a resolution a series from..to holds, as the API counts them. */
export function bucketCount(resolution, from, to) {
  const width = widths[resolution];
  if (to <= from) return 0;
  const first = from - (from % width);
  return Math.ceil((to - first) / width);
}

/** Why this resolution is not offered for this range (the API would refuse it), or null when it is. */
export function refusal(resolution, from, to, range = 'custom') {
  const count = bucketCount(resolution, from, to);
  if (count > MaxPoints || (presets[range] && !presets[range].offers.includes(resolution))) {
    return `${Math.max(count, MaxPoints).toLocaleString('en')} or more buckets of ${resolution}, and the API answers at most ${MaxPoints.toLocaleString('en')} per request`;
  }
  return null;
}

/** The resolution a range opens with: the preset's, else the finest the API allows with at least two buckets. */
export function defaultResolution(range, from, to) {
  if (presets[range]) return presets[range].resolution;
  const span = to - from;
  if (span <= 6 * hour) return '1m';
  if (span <= 14 * day) return '1h';
  return '1d';
}

/** The nearest resolution to `wanted` offered for from..to (coarser first), or null. */
export function allowedResolution(wanted, from, to, range = 'custom') {
  const order = ['1m', '1h', '1d'];
  for (const resolution of order.slice(order.indexOf(wanted))) {
    if (!refusal(resolution, from, to, range)) return resolution;
  }
  return null;
}
