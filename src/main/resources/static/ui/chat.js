// Chat: a conversation list, the answer streaming token by token over POST /api/chat (SSE), citations that open
// the quoted span in its document, stop, copy, regenerate, feedback, and model and prompt pickers.
import {api, stream} from './api.js';
import {announce, fill, h, field, formatTime} from './dom.js';
import {t} from './i18n.js';
import {openCitation} from './citation.js';

const PICKS = 'hanul.chat.picks';

export async function chatPage(main, [conversationParam]) {
  let conversationId = conversationParam ? decodeURIComponent(conversationParam) : null;
  let running = null;

  const list = h('ul', {class: 'conversations'});
  const log = h('div', {class: 'log', role: 'log', 'aria-label': t('conversations'), 'aria-live': 'off'});
  const question = h('textarea', {name: 'question', rows: 3, required: true});
  const send = h('button', {type: 'submit', class: 'primary'}, t('send'));
  const stop = h('button', {type: 'button', disabled: true}, t('stop'));
  const model = h('select', {name: 'model'}, h('option', {value: ''}, t('defaultChoice')));
  const prompt = h('select', {name: 'prompt'}, h('option', {value: ''}, t('defaultChoice')));
  const retrieval = h('input', {type: 'checkbox', name: 'retrieval', checked: true});
  const form = h('form', {class: 'ask'},
    field(t('question'), question),
    h('div', {class: 'row'}, send, stop));

  fill(main,
    h('h1', {id: 'chat-title', class: 'sr-only'}, t('navChat')),
    h('div', {class: 'chat'},
      h('aside', {class: 'side', 'aria-labelledby': 'conversations-title'},
        h('h2', {id: 'conversations-title'}, t('conversations')),
        h('a', {href: '#/chat', class: 'button'}, t('newChat')),
        list),
      h('section', {class: 'thread', 'aria-labelledby': 'chat-title'},
        h('div', {class: 'row pickers'}, field(t('model'), model), field(t('prompt'), prompt),
          h('div', {class: 'field check'}, h('label', {}, retrieval, ' ', t('useRetrieval')))),
        log,
        form)));

  const picks = JSON.parse(localStorage.getItem(PICKS) ?? '{}');
  loadPickers(model, prompt, picks);
  for (const select of [model, prompt]) {
    select.addEventListener('change', () => localStorage.setItem(PICKS,
      JSON.stringify({model: model.value, prompt: prompt.value})));
  }
  loadConversations(list, conversationId);
  if (conversationId) await loadConversation(log, conversationId);

  question.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line, as chat boxes do.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text || running) return;
    question.value = '';
    ask(text);
  });
  stop.addEventListener('click', () => running?.abort());

  async function ask(text) {
    if (!conversationId) {
      conversationId = `c-${crypto.randomUUID()}`;
      history.replaceState(null, '', `#/chat/${encodeURIComponent(conversationId)}`);
    }
    log.querySelectorAll('.regenerate').forEach((button) => button.remove());
    log.append(bubble('user', text));
    const answer = bubble('assistant', '');
    const body = answer.querySelector('.text');
    log.append(answer);
    answer.scrollIntoView({block: 'end'});
    const request = {messages: [{role: 'user', content: text}], conversationId, stream: true};
    if (model.value) request.model = model.value;
    if (prompt.value) request.template = {name: prompt.value};
    if (!retrieval.checked) request.retrieval = {enabled: false};

    running = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    answer.setAttribute('aria-busy', 'true');
    announce(t('thinking'));
    let citations = [];
    let done = null;
    try {
      await stream('/api/chat', request, (name, data) => {
        if (name === 'token') {
          body.append(data.text);
          answer.scrollIntoView({block: 'end'});
        } else if (name === 'citations') {
          citations = data.citations ?? [];
        } else if (name === 'done') {
          done = data;
        } else if (name === 'error') {
          throw new Error(data.message ?? data.error?.message ?? JSON.stringify(data));
        }
      }, {signal: running.signal});
      finishAnswer(answer, text, citations, done);
      announce(t('answerDone', {tokens: done?.usage?.completionTokens ?? '?',
        ttft: done?.timings?.timeToFirstTokenMs ?? '?'}));
      loadConversations(list, conversationId);
    } catch (error) {
      const note = error.name === 'AbortError' ? t('stopped') : t('error', {message: error.message});
      answer.append(h('p', {class: error.name === 'AbortError' ? 'note' : 'error', role: 'alert'}, note));
      if (citations.length) answer.append(sourcesList(citations));
    } finally {
      answer.removeAttribute('aria-busy');
      running = null;
      send.disabled = false;
      stop.disabled = true;
      question.focus();
    }
  }

  function finishAnswer(answer, text, citations, done) {
    const body = answer.querySelector('.text');
    linkMarkers(body, citations);
    if (citations.length) answer.append(sourcesList(citations));
    const actions = h('div', {class: 'actions'},
      copyButton(() => body.textContent),
      h('button', {type: 'button', class: 'regenerate', onclick: () => regenerate(answer)}, t('regenerate')));
    if (done?.interactionId) actions.append(...feedbackButtons(done.interactionId));
    if (done) {
      actions.append(h('span', {class: 'meta'}, [done.model, done.template ? `${done.template.name}@${done.template.version}` : null,
        `${done.usage?.completionTokens ?? 0} ${t('tokens')}`, done.timings?.timeToFirstTokenMs != null
          ? `TTFT ${done.timings.timeToFirstTokenMs} ms` : null].filter(Boolean).join(' · ')));
    }
    answer.append(actions);
  }

  async function regenerate(answer) {
    if (running) return;
    try {
      const removed = await api('DELETE', `/api/conversations/${encodeURIComponent(conversationId)}/last-turn`);
      const asked = answer.previousElementSibling;
      answer.remove();
      if (asked?.classList.contains('user')) asked.remove();
      await ask(removed.question);
    } catch (error) {
      answer.append(h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
    }
  }
}

function bubble(role, text) {
  return h('article', {class: `message ${role}`, 'aria-label': role === 'user' ? t('you') : t('assistant')},
    h('h3', {class: 'who'}, role === 'user' ? t('you') : t('assistant')),
    h('div', {class: 'text'}, text));
}

/** The answer's [n] markers become buttons that open source n. */
function linkMarkers(body, citations) {
  if (!citations.length) return;
  const byMarker = new Map(citations.map((c) => [c.marker, c]));
  const text = body.textContent;
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)]/g)) {
    const citation = byMarker.get(Number(match[1]));
    if (!citation) continue;
    parts.push(text.slice(last, match.index), citationButton(citation, `[${citation.marker}]`, 'marker'));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  fill(body, parts);
}

function sourcesList(citations) {
  return h('div', {class: 'sources'},
    h('h4', {}, t('sources')),
    h('ol', {}, citations.map((c) => h('li', {value: c.marker},
      citationButton(c, `${c.source ?? c.documentId}${c.heading ? ` — ${c.heading}` : ''}`, 'source')))));
}

function citationButton(citation, label, kind) {
  return h('button', {type: 'button', class: `link ${kind}`, 'data-marker': citation.marker,
    'aria-label': t('citationTitle', {marker: citation.marker, source: citation.source ?? citation.documentId}),
    onclick: (event) => openCitation(citation, event.currentTarget)}, label);
}

export function copyButton(text) {
  const button = h('button', {type: 'button'}, t('copy'));
  button.addEventListener('click', async () => {
    const value = text();
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Not a secure context (plain http on another host): the old way still copies.
      const area = h('textarea', {class: 'sr-only'}, value);
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    button.textContent = t('copied');
    announce(t('copied'));
    setTimeout(() => { button.textContent = t('copy'); }, 1500);
  });
  return button;
}

export function feedbackButtons(interactionId) {
  const rate = (rating) => async (event) => {
    const buttons = event.currentTarget.parentElement.querySelectorAll('.rate');
    try {
      await api('POST', `/api/interactions/${encodeURIComponent(interactionId)}/feedback`, {rating});
      buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.rating === rating)));
      announce(t('feedbackSaved'));
    } catch (error) {
      announce(t('error', {message: error.message}));
    }
  };
  return [
    h('button', {type: 'button', class: 'rate', 'data-rating': 'up', 'aria-pressed': 'false', onclick: rate('up'),
      'aria-label': t('helpful'), title: t('helpful')}, '▲'),
    h('button', {type: 'button', class: 'rate', 'data-rating': 'down', 'aria-pressed': 'false',
      onclick: rate('down'), 'aria-label': t('notHelpful'), title: t('notHelpful')}, '▼'),
  ];
}

async function loadPickers(model, prompt, picks) {
  try {
    const models = await api('GET', '/v1/models');
    for (const card of models.data ?? []) {
      if (card.id.startsWith('rag:') || card.id.includes('e5') || card.id.includes('MiniLM')) continue;
      model.append(h('option', {value: card.id}, card.id));
    }
    model.value = picks.model ?? '';
  } catch {
    // The default model still answers; the picker just has no choices.
  }
  try {
    const prompts = await api('GET', '/api/prompts');
    for (const template of prompts) {
      const group = h('optgroup', {label: template.name});
      for (const label of Object.keys(template.labels ?? {})) {
        group.append(h('option', {value: `${template.name}@${label}`}, `${template.name}@${label}`));
      }
      for (const version of template.versions ?? []) {
        group.append(h('option', {value: `${template.name}@${version.version}`},
          `${template.name}@${version.version}${version.message ? ` — ${version.message}` : ''}`));
      }
      prompt.append(group);
    }
    prompt.value = picks.prompt ?? '';
  } catch {
    // As above.
  }
}

async function loadConversations(list, current) {
  try {
    const conversations = await api('GET', '/api/conversations?limit=50');
    fill(list, conversations.length === 0 ? h('li', {class: 'note'}, t('noConversations'))
      : conversations.map((c) => h('li', {},
        h('a', {href: `#/chat/${encodeURIComponent(c.conversationId)}`,
          'aria-current': c.conversationId === current ? 'page' : null},
        h('span', {class: 'title'}, c.title || c.conversationId),
        h('span', {class: 'meta'}, formatTime(c.updatedAt))))));
  } catch (error) {
    fill(list, h('li', {class: 'error'}, t('error', {message: error.message})));
  }
}

async function loadConversation(log, id) {
  try {
    const conversation = await api('GET', `/api/conversations/${encodeURIComponent(id)}`);
    for (const message of conversation.messages) {
      const shown = bubble(message.role === 'user' ? 'user' : 'assistant', message.content);
      if (message.role !== 'user') {
        const body = shown.querySelector('.text');
        shown.append(h('div', {class: 'actions'}, copyButton(() => body.textContent)));
      }
      log.append(shown);
    }
  } catch (error) {
    // A new id (typed or bookmarked before its first answer) is simply an empty conversation.
    if (error.status !== 404) log.append(h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
  }
}
