// A citation opens its document in a dialog: the chunks as the index holds them, with the quoted span marked and
// scrolled into view. Offsets are the document's cleaned text, the same the chunks and the citation's span use.
import {api} from './api.js';
import {fill, h} from './dom.js';
import {t} from './i18n.js';

let dialog = null;

function ensureDialog() {
  if (dialog) return dialog;
  dialog = h('dialog', {class: 'document', 'aria-labelledby': 'document-title'},
    h('div', {class: 'dialog-head'},
      h('h2', {id: 'document-title'}),
      h('button', {type: 'button', class: 'close', onclick: () => dialog.close()}, t('close'))),
    h('div', {class: 'document-body'}));
  document.body.append(dialog);
  return dialog;
}

/** Opens the document of a citation ({documentId, source, marker, span, text}); focus returns to `from`. */
export async function openCitation(citation, from) {
  const title = t('citationTitle', {marker: citation.marker, source: citation.source ?? citation.documentId});
  await showDocument(citation.documentId, title, citation.span, citation.text, from);
}

/** Opens a document's chunks; `span` ({start, end}) is marked when given. */
export async function showDocument(documentId, title, span, quoted, from) {
  const box = ensureDialog();
  box.querySelector('.close').textContent = t('close');
  box.querySelector('h2').textContent = title;
  const body = box.querySelector('.document-body');
  fill(body, h('p', {}, t('loading')));
  box.addEventListener('close', () => from?.focus(), {once: true});
  if (!box.open) box.showModal();
  try {
    const chunks = await api('GET', `/api/documents/${encodeURIComponent(documentId)}/chunks`);
    fill(body, chunks.map((chunk) => chunkView(chunk, span)));
    if (span && !body.querySelector('mark') && quoted) body.prepend(h('blockquote', {}, quoted));
  } catch (error) {
    // The document may have been deleted since: the quoted text is still worth showing.
    fill(body, h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})),
      quoted ? h('blockquote', {}, quoted) : null);
  }
  const first = body.querySelector('mark');
  if (first) {
    first.scrollIntoView({block: 'center'});
  }
}

function chunkView(chunk, span) {
  const text = chunk.text ?? '';
  const parts = [];
  if (span && span.start < chunk.end && span.end > chunk.start) {
    const from = Math.max(0, span.start - chunk.start);
    const to = Math.min(text.length, span.end - chunk.start);
    parts.push(text.slice(0, from), h('mark', {'aria-label': t('quoted')}, text.slice(from, to)), text.slice(to));
  } else {
    parts.push(text);
  }
  return h('section', {class: 'chunk', 'aria-label': t('chunkOf', {n: chunk.ordinal + 1})},
    h('h3', {}, t('chunkOf', {n: chunk.ordinal + 1}), chunk.heading ? ` — ${chunk.heading}` : '',
      h('span', {class: 'meta'}, ` ${chunk.start}–${chunk.end} · ${chunk.tokens} ${t('tokens')}`)),
    h('p', {class: 'chunk-text'}, parts));
}
