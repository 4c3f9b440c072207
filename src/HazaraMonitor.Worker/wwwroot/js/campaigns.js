// The list of campaigns at /.
import { getJson } from './api.js';
import { el, hashtag, platformName } from './format.js';

const main = document.getElementById('main');
const list = document.getElementById('campaigns');
const error = document.getElementById('error');

try {
  const campaigns = await getJson('/api/campaigns');
  list.replaceChildren(...campaigns.map((c) => el('li', {},
    el('a', { href: `/campaigns/${encodeURIComponent(c.id)}` }, el('span', { dir: 'auto' }, c.name)),
    ' ', el('span', { class: 'hashtag', dir: 'auto' }, hashtag(c.canonicalHashtag)),
    el('p', { class: 'muted' }, `${c.hashtags.length} hashtag${c.hashtags.length === 1 ? '' : 's'} on ${c.platforms.map(platformName).join(', ')}`))));
  if (!campaigns.length) list.replaceChildren(el('li', {}, 'This worker follows no campaign: see the Campaigns section of its configuration.'));
  main.dataset.state = 'ready';
} catch (e) {
  error.textContent = `The campaigns could not be read: ${e.message}`;
  error.hidden = false;
  main.dataset.state = 'error';
} finally {
  document.getElementById('loading').hidden = true;
}
