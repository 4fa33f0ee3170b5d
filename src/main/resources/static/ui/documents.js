// Documents: upload (files, folders, drag and drop) with live job progress, the tenant's documents with a filter
// and a content search, delete, and a document's chunks as the index holds them.
import {api} from './api.js';
import {announce, fill, h, field, formatBytes, formatTime} from './dom.js';
import {t} from './i18n.js';
import {showDocument} from './citation.js';

export async function documentsPage(main) {
  const files = h('input', {type: 'file', multiple: true, class: 'sr-only', id: 'pick-files'});
  const folder = h('input', {type: 'file', multiple: true, webkitdirectory: true, class: 'sr-only', id: 'pick-folder'});
  const tags = h('input', {type: 'text', name: 'tags', autocomplete: 'off'});
  const jobs = h('ul', {class: 'jobs', 'aria-live': 'polite'});
  const drop = h('div', {class: 'drop', tabindex: '0', role: 'group', 'aria-labelledby': 'drop-label'},
    h('p', {id: 'drop-label'}, t('dropHere')),
    h('div', {class: 'row'},
      h('label', {for: 'pick-files', class: 'button'}, t('chooseFiles')),
      h('label', {for: 'pick-folder', class: 'button'}, t('chooseFolder'))),
    files, folder);
  const filter = h('input', {type: 'search', name: 'filter', autocomplete: 'off'});
  const type = h('select', {name: 'type'}, h('option', {value: ''}, t('allTypes')));
  const table = h('div', {class: 'table-wrap'});
  const count = h('p', {class: 'meta', 'aria-live': 'polite'});
  const query = h('input', {type: 'search', name: 'query', autocomplete: 'off'});
  const results = h('div', {class: 'results'});

  fill(main,
    h('h1', {}, t('documentsTitle')),
    h('section', {class: 'card', 'aria-labelledby': 'upload-title'},
      h('h2', {id: 'upload-title'}, t('upload')),
      drop, field(t('tags'), tags, t('tagsHint')), jobs),
    h('section', {class: 'card', 'aria-labelledby': 'list-title'},
      h('h2', {id: 'list-title'}, t('documentsTitle')),
      h('div', {class: 'row'}, field(t('filter'), filter), field(t('type'), type)),
      count, table),
    h('section', {class: 'card', 'aria-labelledby': 'search-title'},
      h('h2', {id: 'search-title'}, t('searchContent')),
      h('form', {class: 'row', onsubmit: (e) => { e.preventDefault(); searchContent(query.value, results); }},
        field(t('searchContent'), query), h('button', {type: 'submit'}, t('search'))),
      results));

  let documents = [];
  const refresh = async () => {
    const page = await api('GET', '/api/documents?limit=1000');
    documents = page.documents;
    const types = [...new Set(documents.map((d) => d.mediaType))].sort();
    const chosen = type.value;
    fill(type, h('option', {value: ''}, t('allTypes')), types.map((m) => h('option', {value: m}, m)));
    type.value = types.includes(chosen) ? chosen : '';
    renderTable();
  };
  const renderTable = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = documents.filter((d) => (!type.value || d.mediaType === type.value)
      && (!needle || [d.documentId, d.source, d.title, ...(d.metadata?.tags ?? [])]
        .some((v) => v && String(v).toLowerCase().includes(needle))));
    count.textContent = t('showing', {shown: shown.length, total: documents.length});
    fill(table, shown.length === 0 ? h('p', {}, t('noDocuments')) : h('table', {},
      h('thead', {}, h('tr', {}, [t('name'), t('type'), t('size'), t('chunks'), t('indexedAt'), t('actions')]
        .map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, shown.map((d) => h('tr', {},
        h('th', {scope: 'row'}, d.source ?? d.documentId,
          d.metadata?.tags?.length ? h('span', {class: 'meta'}, ` ${d.metadata.tags.join(', ')}`) : null),
        h('td', {}, d.mediaType), h('td', {}, formatBytes(d.sizeBytes)), h('td', {}, d.chunkCount),
        h('td', {}, formatTime(d.indexedAt)),
        h('td', {class: 'row'},
          h('button', {type: 'button', 'aria-label': `${t('show')} ${d.source ?? d.documentId}`,
            onclick: (e) => showDocument(d.documentId, `${t('chunks')}: ${d.source ?? d.documentId}`, null, null,
              e.currentTarget)}, t('show')),
          h('button', {type: 'button', class: 'danger', 'aria-label': `${t('delete')} ${d.source ?? d.documentId}`,
            onclick: () => remove(d)}, t('delete'))))))));
  };
  const remove = async (d) => {
    if (!confirm(t('confirmDelete', {id: d.source ?? d.documentId}))) return;
    await api('DELETE', `/api/documents/${encodeURIComponent(d.documentId)}`);
    announce(t('deleted', {id: d.source ?? d.documentId}));
    await refresh();
  };
  const upload = async (list) => {
    if (list.length === 0) return;
    const form = new FormData();
    const tagList = tags.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (tagList.length) form.append('metadata', JSON.stringify({tags: tagList}));
    for (const file of list) form.append('files', file, file.name);
    const item = h('li', {}, t('uploading', {count: list.length}));
    const bar = h('progress', {max: 1, value: 0, 'aria-label': t('progress')});
    jobs.prepend(item);
    try {
      const accepted = await api('POST', '/api/ingest', form);
      item.append(' ', bar);
      await follow(accepted.jobId ?? accepted.id, item, bar);
      await refresh();
    } catch (error) {
      fill(item, h('span', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
    }
  };

  filter.addEventListener('input', renderTable);
  type.addEventListener('change', renderTable);
  files.addEventListener('change', () => upload([...files.files]));
  folder.addEventListener('change', () => upload([...folder.files]));
  drop.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      files.click();
    }
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    upload(await droppedFiles(event.dataTransfer));
  });
  await refresh();
}

/** Follows a job (GET /api/ingest/jobs/{id}) until it has finished, updating its line and progress bar. */
async function follow(jobId, item, bar) {
  for (;;) {
    const job = await api('GET', `/api/ingest/jobs/${encodeURIComponent(jobId)}`);
    const p = job.progress;
    bar.max = Math.max(1, p.documents);
    bar.value = p.done;
    item.firstChild.textContent = t('jobProgress', {id: jobId, done: p.done, total: p.documents,
      indexed: p.indexed, chunks: p.chunks});
    if (job.finishedAt) {
      item.firstChild.textContent = t('jobDone', {id: jobId, status: job.status});
      for (const error of job.errors ?? []) {
        item.append(h('p', {class: 'error'}, `${error.source}: ${error.reason}`));
      }
      announce(t('jobDone', {id: jobId, status: job.status}));
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

/** Files of a drop, folders walked (webkitGetAsEntry), so a dropped folder uploads what it holds. */
async function droppedFiles(transfer) {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...transfer.files];
  const files = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return files;
}

async function searchContent(text, results) {
  if (!text.trim()) return;
  fill(results, h('p', {}, t('loading')));
  try {
    const answer = await api('POST', '/api/search', {query: text, topK: 10});
    fill(results, answer.hits.length === 0 ? h('p', {}, t('noResults')) : h('ol', {}, answer.hits.map((hit) => h('li', {},
      h('button', {type: 'button', class: 'link', onclick: (e) => showDocument(hit.documentId,
        `${t('chunks')}: ${hit.source ?? hit.documentId}`, spanOf(hit), hit.text, e.currentTarget)},
      hit.source ?? hit.documentId, hit.heading ? ` — ${hit.heading}` : ''),
      h('p', {class: 'snippet'}, hit.text.length > 300 ? `${hit.text.slice(0, 300)}…` : hit.text)))));
  } catch (error) {
    fill(results, h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
  }
}

function spanOf(hit) {
  const start = hit.metadata?.startOffset;
  const end = hit.metadata?.endOffset;
  return start != null && end != null ? {start, end} : null;
}
