// Operations: models and aliases (load, move, canary split, rollback), prompt labels, evaluation runs and their
// comparison, the metrics Prometheus scrapes, and the interaction log with feedback.
import {api} from './api.js';
import {announce, fill, h, field, formatBytes, formatTime} from './dom.js';
import {t} from './i18n.js';
import {feedbackButtons} from './chat.js';
import {parsePrometheus} from './prometheus.js';

const TABS = {
  models: {label: 'opsModels', render: modelsTab},
  prompts: {label: 'opsPrompts', render: promptsTab},
  eval: {label: 'opsEval', render: evalTab},
  metrics: {label: 'opsMetrics', render: metricsTab},
  interactions: {label: 'opsInteractions', render: interactionsTab},
};

export async function operationsPage(main, [tabParam]) {
  const tab = TABS[tabParam] ? tabParam : 'models';
  const panel = h('section', {class: 'card', 'aria-labelledby': 'ops-title'});
  fill(main,
    h('h1', {id: 'ops-page-title'}, t('navOperations')),
    h('nav', {class: 'tabs', 'aria-label': t('navOperations')}, Object.entries(TABS).map(([name, tab_]) =>
      h('a', {href: `#/operations/${name}`, 'aria-current': name === tab ? 'page' : null}, t(tab_.label)))),
    panel);
  const reload = async () => {
    fill(panel, h('h2', {id: 'ops-title'}, t(TABS[tab].label)), h('p', {}, t('loading')));
    try {
      const content = await TABS[tab].render(reload);
      fill(panel, h('h2', {id: 'ops-title'}, t(TABS[tab].label)), content);
    } catch (error) {
      const text = error.status === 403 ? t('notAllowed', {reason: error.message}) : t('error', {message: error.message});
      fill(panel, h('h2', {id: 'ops-title'}, t(TABS[tab].label)), h('p', {class: 'error', role: 'alert'}, text));
    }
  };
  await reload();
}

/** Runs an action, says what happened, and shows the tab again. */
function act(reload, action, success) {
  return async () => {
    try {
      const result = await action();
      announce(typeof success === 'function' ? success(result) : success ?? '');
      await reload();
    } catch (error) {
      announce(t('error', {message: error.message}));
      alertBox(error.message);
    }
  };
}

function alertBox(message) {
  const box = document.querySelector('#ops-error') ?? h('p', {id: 'ops-error', class: 'error', role: 'alert'});
  box.textContent = t('error', {message});
  document.querySelector('.card')?.prepend(box);
}

function table(columns, rows) {
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, rows)));
}

async function modelsTab(reload) {
  const registry = await api('GET', '/api/admin/models');
  const versions = registry.models.flatMap((m) => m.versions);
  const ready = versions.filter((v) => v.state?.phase === 'READY' || v.state?.phase === 'DRAINING').map((v) => v.id);
  const models = table([t('version'), t('state'), t('memory'), t('inFlight'), t('aliases'), t('actions')],
    versions.map((v) => h('tr', {},
      h('th', {scope: 'row'}, v.id, h('span', {class: 'meta'}, ` ${v.architecture ?? ''} ${v.quantization ?? ''}`)),
      h('td', {}, v.state?.phase, v.state?.detail ? h('span', {class: 'meta'}, ` ${v.state.detail}`) : null),
      h('td', {}, formatBytes(v.memory?.totalBytes)), h('td', {}, v.inFlight), h('td', {}, (v.aliases ?? []).join(', ')),
      h('td', {class: 'row'},
        h('button', {type: 'button', 'aria-label': `${t('load')} ${v.id}`, disabled: v.state?.phase === 'READY',
          onclick: act(reload, () => api('POST', `/api/admin/models/${enc(v.name)}/versions/${v.version}/load`))},
        t('load')),
        h('button', {type: 'button', 'aria-label': `${t('unload')} ${v.id}`,
          disabled: !['READY', 'LOADING'].includes(v.state?.phase),
          onclick: act(reload, () => api('POST', `/api/admin/models/${enc(v.name)}/versions/${v.version}/unload`))},
        t('unload'))))));
  const aliases = table([t('alias'), t('targets'), t('when'), t('actions')], registry.aliases.map((a) => h('tr', {},
    h('th', {scope: 'row'}, a.name),
    h('td', {}, a.targets.map((x) => `${x.version} ${x.weight}%`).join(', '), a.shadow ? ` (shadow ${a.shadow})` : ''),
    h('td', {}, `${formatTime(a.updatedAt)} ${a.updatedBy ?? ''}`),
    h('td', {}, h('button', {type: 'button', 'aria-label': `${t('rollback')} ${a.name}`,
      onclick: act(reload, () => api('POST', `/api/admin/models/aliases/${enc(a.name)}/rollback`),
        (r) => t('aliasMoved', {alias: a.name, targets: describe(r)}))}, t('rollback'))))));

  const options = (list) => list.map((id) => h('option', {value: id}, id));
  const aliasName = h('input', {type: 'text', name: 'alias', value: registry.aliases[0]?.name ?? 'default',
    autocomplete: 'off', list: 'alias-names'});
  const target = h('select', {name: 'version'}, options(versions.map((v) => v.id)));
  const move = h('form', {class: 'row', 'aria-labelledby': 'move-title'},
    field(t('alias'), aliasName), field(t('version'), target), h('button', {type: 'submit'}, t('setAlias')));
  move.addEventListener('submit', (e) => {
    e.preventDefault();
    act(reload, () => api('PUT', `/api/admin/models/aliases/${enc(aliasName.value)}`, {version: target.value}),
      (r) => t('aliasMoved', {alias: aliasName.value, targets: describe(r)}))();
  });

  const canaryAlias = h('select', {name: 'canary-alias'}, options(registry.aliases.map((a) => a.name)));
  const stable = h('select', {name: 'stable'}, options(ready));
  const canary = h('select', {name: 'canary'}, options(ready));
  const weight = h('input', {type: 'range', id: 'canary-weight', name: 'weight', min: 0, max: 100, step: 1, value: 10});
  const shown = h('output', {for: 'canary-weight'}, '10%');
  weight.addEventListener('input', () => { shown.textContent = `${weight.value}%`; });
  const current = registry.aliases[0];
  if (current?.targets.length) {
    stable.value = current.targets[0].version;
    if (current.targets[1]) {
      canary.value = current.targets[1].version;
      weight.value = current.targets[1].weight;
      shown.textContent = `${weight.value}%`;
    }
  }
  const split = h('form', {class: 'row', 'aria-labelledby': 'canary-title'},
    field(t('alias'), canaryAlias), field(t('stable'), stable), field(t('canaryVersion'), canary),
    h('div', {class: 'field'}, h('label', {for: 'canary-weight'}, t('canaryWeight')), weight, shown),
    h('button', {type: 'submit'}, t('applySplit')));
  split.addEventListener('submit', (e) => {
    e.preventDefault();
    const w = Number(weight.value);
    const targets = stable.value === canary.value || w === 0 ? [{version: stable.value, weight: 100}]
      : w === 100 ? [{version: canary.value, weight: 100}]
        : [{version: stable.value, weight: 100 - w}, {version: canary.value, weight: w}];
    act(reload, () => api('PUT', `/api/admin/models/aliases/${enc(canaryAlias.value)}`, {targets, keepPrevious: true}),
      (r) => t('aliasMoved', {alias: canaryAlias.value, targets: describe(r)}))();
  });

  return [
    h('p', {class: 'meta'}, `${t('memory')}: ${formatBytes(registry.memory.usedBytes)} / ${formatBytes(registry.memory.budgetBytes)}`),
    models,
    h('h3', {}, t('aliases')), aliases,
    h('h3', {id: 'move-title'}, t('moveAlias')), move,
    h('h3', {id: 'canary-title'}, t('canary')), split,
  ];
}

function describe(alias) {
  return alias?.targets ? alias.targets.map((x) => `${x.version} ${x.weight}%`).join(', ') : '';
}

async function promptsTab(reload) {
  const prompts = await api('GET', '/api/prompts');
  return prompts.map((p) => {
    const label = h('input', {type: 'text', name: 'label', value: 'production', autocomplete: 'off'});
    const version = h('select', {name: 'version'}, p.versions.map((v) => h('option', {value: v.version}, v.version)));
    const form = h('form', {class: 'row'}, field(t('label'), label), field(t('version'), version),
      h('button', {type: 'submit'}, t('moveLabel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      act(reload, () => api('PUT', `/api/prompts/${enc(p.name)}/labels/${enc(label.value)}`,
        {version: Number(version.value)}))();
    });
    return h('section', {'aria-label': p.name},
      h('h3', {}, p.name),
      table([t('label'), t('targets'), t('actions')], Object.entries(p.labels ?? {}).map(([name, target]) => h('tr', {},
        h('th', {scope: 'row'}, name), h('td', {}, target),
        h('td', {}, h('button', {type: 'button', 'aria-label': `${t('rollback')} ${p.name}@${name}`,
          onclick: act(reload, () => api('POST', `/api/prompts/${enc(p.name)}/labels/${enc(name)}/rollback`))},
        t('rollback')))))),
      table([t('version'), t('message'), t('when')], p.versions.map((v) => h('tr', {},
        h('th', {scope: 'row'}, v.version), h('td', {}, v.message ?? ''), h('td', {}, `${formatTime(v.createdAt)} ${v.createdBy ?? ''}`)))),
      form);
  });
}

async function evalTab() {
  const runs = await api('GET', '/api/eval/runs');
  const result = h('div', {'aria-live': 'polite'});
  const boxes = [];
  const rows = runs.map((run) => {
    const box = h('input', {type: 'checkbox', value: run.id, 'aria-label': `${t('select')} ${run.name ?? run.id}`});
    boxes.push(box);
    return h('tr', {}, h('td', {}, box), h('th', {scope: 'row'}, run.name ?? run.id, h('span', {class: 'meta'}, ` ${run.id}`)),
      h('td', {}, run.status), h('td', {}, h('progress', {max: Math.max(1, run.total), value: run.done,
        'aria-label': `${t('progress')} ${run.name ?? run.id}`}), ` ${run.done}/${run.total}`),
      h('td', {}, formatTime(run.createdAt)));
  });
  const compare = h('button', {type: 'button'}, t('compare'));
  compare.addEventListener('click', async () => {
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (chosen.length < 1) return;
    try {
      const comparison = await api('GET', `/api/eval/compare?runs=${chosen.map(enc).join(',')}`);
      fill(result, h('p', {class: 'meta'}, `${t('items')}: ${comparison.items}`),
        table([t('metric'), ...comparison.runs.flatMap((r, i) => i === 0 ? [`${t('mean')} ${r}`]
          : [`${t('mean')} ${r}`, t('difference'), t('pValue')])],
        Object.entries(comparison.metrics).map(([name, m]) => h('tr', {}, h('th', {scope: 'row'}, name),
          m.means.flatMap((mean, i) => i === 0 ? [h('td', {}, num(mean))]
            : [h('td', {}, num(mean)), h('td', {}, num(m.differences[i])), h('td', {}, num(m.pValues[i]))])))));
    } catch (error) {
      fill(result, h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
    }
  });
  return [table([t('select'), t('runs'), t('status'), t('progress'), t('when')], rows), compare, result];
}

function num(value) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(4);
}

/** The previous scrape, so that throughput is a rate over the time between two reads of the counters. */
let lastScrape = null;

async function metricsTab(reload) {
  const text = await api('GET', '/actuator/prometheus');
  const samples = parsePrometheus(text);
  const sum = (name) => samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
  const max = (name) => Math.max(0, ...samples.filter((s) => s.name === name).map((s) => s.value));
  const mean = (base) => {
    const count = sum(`${base}_count`);
    return count > 0 ? sum(`${base}_sum`) / count : NaN;
  };
  const ms = (seconds) => Number.isNaN(seconds) ? '–' : `${(seconds * 1000).toFixed(1)} ms`;
  const now = {at: Date.now(), generated: sum('vllm_generation_tokens_total'),
    finished: sum('vllm_request_success_total')};
  let throughput = '–';
  if (lastScrape && now.at > lastScrape.at && now.generated >= lastScrape.generated) {
    const seconds = (now.at - lastScrape.at) / 1000;
    throughput = t('throughputValue', {tokens: ((now.generated - lastScrape.generated) / seconds).toFixed(1),
      requests: ((now.finished - lastScrape.finished) / seconds).toFixed(2), seconds: seconds.toFixed(0)});
  }
  lastScrape = now;
  const figures = [
    [t('throughput'), throughput],
    [t('running'), sum('vllm_num_requests_running')],
    [t('waiting'), sum('vllm_num_requests_waiting')],
    [t('kvUsage'), `${(max('vllm_kv_cache_usage_perc') * 100).toFixed(1)} %`],
    [t('ttft'), ms(mean('vllm_time_to_first_token_seconds'))],
    [t('tpot'), ms(mean('vllm_inter_token_latency_seconds'))],
    [t('promptTokens'), sum('vllm_prompt_tokens_total')],
    [t('generationTokens'), now.generated],
    [t('finished'), now.finished],
  ];
  const quality = new Map();
  for (const s of samples.filter((x) => x.name.startsWith('hanul_quality_score_'))) {
    const score = s.labels.score;
    const entry = quality.get(score) ?? {sum: 0, count: 0, buckets: new Map()};
    if (s.name.endsWith('_sum')) entry.sum += s.value;
    if (s.name.endsWith('_count')) entry.count += s.value;
    if (s.name.endsWith('_bucket')) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      entry.buckets.set(le, (entry.buckets.get(le) ?? 0) + s.value);
    }
    quality.set(score, entry);
  }
  const drift = samples.filter((s) => s.name === 'hanul_drift_psi');
  const threshold = max('hanul_drift_threshold');
  return [
    h('p', {class: 'meta'}, t('metricsIntro')),
    h('button', {type: 'button', onclick: reload}, t('refresh')),
    h('dl', {class: 'figures'}, figures.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
    h('h3', {}, t('quality')),
    table([t('series'), t('mean'), 'p50', 'p90', t('items')], [...quality].map(([score, e]) => h('tr', {},
      h('th', {scope: 'row'}, score), h('td', {}, e.count ? num(e.sum / e.count) : '–'),
      h('td', {}, num(quantile(e.buckets, 0.5))), h('td', {}, num(quantile(e.buckets, 0.9))), h('td', {}, e.count)))),
    h('h3', {}, t('drift')),
    h('p', {class: 'meta'}, t('driftThreshold', {threshold: num(threshold)})),
    table([t('series'), t('value')], drift.map((s) => h('tr', {}, h('th', {scope: 'row'}, s.labels.signal),
      h('td', {class: s.value > threshold ? 'error' : null}, num(s.value))))),
  ];
}

/** Prometheus's histogram_quantile: linear interpolation inside the bucket where the quantile falls. */
export function quantile(buckets, q) {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const count = buckets.get(upper);
    if (count >= rank) {
      if (upper === Infinity) return lower;
      return lower + (upper - lower) * ((rank - below) / Math.max(count - below, Number.MIN_VALUE));
    }
    lower = upper;
    below = count;
  }
  return NaN;
}

async function interactionsTab(reload) {
  const rating = h('select', {name: 'rating'}, ['', 'up', 'down', 'none'].map((r) =>
    h('option', {value: r}, r ? t(r) : t('any'))));
  rating.value = sessionStorage.getItem('hanul.ops.rating') ?? '';
  rating.addEventListener('change', () => {
    sessionStorage.setItem('hanul.ops.rating', rating.value);
    reload();
  });
  const page = await api('GET', `/api/interactions?size=50${rating.value ? `&rating=${rating.value}` : ''}`);
  return [
    h('div', {class: 'row'}, field(t('rating'), rating), h('span', {class: 'meta'}, `${page.items.length} / ${page.total}`)),
    table([t('when'), t('api'), t('model'), t('question'), t('answer'), t('rating')], page.items.map((i) => h('tr', {},
      h('td', {}, formatTime(i.createdAt)), h('td', {}, i.api), h('td', {}, i.modelVersion ?? i.model),
      h('th', {scope: 'row'}, clip(i.question)), h('td', {}, clip(i.response)),
      h('td', {class: 'row'}, i.feedback?.rating ? h('span', {}, t(i.feedback.rating)) : null,
        feedbackButtons(i.id))))),
  ];
}

function clip(text) {
  if (!text) return '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function enc(value) {
  return encodeURIComponent(value);
}
