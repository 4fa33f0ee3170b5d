// The web UI's entry: sign-in, the top navigation, and a hash router over the three pages.
import {api, ApiError, session} from './api.js';
import {fill, h, announce, field} from './dom.js';
import {language, setLanguage, t} from './i18n.js';
import {chatPage} from './chat.js';
import {documentsPage} from './documents.js';
import {operationsPage} from './operations.js';

const PAGES = {
  chat: {label: 'navChat', render: chatPage},
  documents: {label: 'navDocuments', render: documentsPage},
  operations: {label: 'navOperations', render: operationsPage},
};

const main = document.getElementById('main');
let who = null;
// While a key is being tried, its 401 is the sign-in form's to report, not a session that ended.
let signingIn = false;

function route() {
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return {page: PAGES[page] ? page : 'chat', rest};
}

function renderChrome() {
  document.documentElement.lang = language();
  document.title = 'Hanul';
  document.querySelector('.skip').textContent = t('skip');
  document.getElementById('lang-label').textContent = t('language');
  document.getElementById('lang').value = language();
  const signOut = document.getElementById('sign-out');
  signOut.textContent = t('signOut');
  signOut.hidden = !session.key;
  const nav = document.getElementById('nav');
  nav.hidden = !session.key;
  const current = route().page;
  fill(nav, Object.entries(PAGES).map(([name, page]) => h('a', {
    href: `#/${name}`, 'aria-current': name === current ? 'page' : null,
  }, t(page.label))));
  document.getElementById('who').textContent = session.key && who ? t('signedInAs', {who}) : '';
}

async function render() {
  renderChrome();
  if (!session.key) {
    signInPage();
    return;
  }
  const {page, rest} = route();
  main.setAttribute('aria-busy', 'true');
  try {
    await PAGES[page].render(main, rest);
  } catch (error) {
    fill(main, h('p', {class: 'error', role: 'alert'}, t('error', {message: error.message})));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

function signInPage() {
  const key = h('input', {type: 'password', name: 'key', autocomplete: 'current-password', required: true,
    spellcheck: 'false'});
  const tenant = h('input', {type: 'text', name: 'tenant', autocomplete: 'off', value: session.tenant});
  const message = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'card narrow', 'aria-labelledby': 'sign-in-title'},
    h('h1', {id: 'sign-in-title'}, t('signInTitle')),
    h('p', {}, t('signInIntro')),
    field(t('apiKey'), key),
    field(t('tenant'), tenant, t('tenantHint')),
    h('button', {type: 'submit', class: 'primary'}, t('signIn')),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    session.signIn(key.value.trim(), tenant.value.trim());
    signingIn = true;
    try {
      await identify();
      announce(t('signedInAs', {who}));
      await render();
    } catch (error) {
      session.signOut();
      message.textContent = t('signInFailed', {reason: error.message});
      key.focus();
    } finally {
      signingIn = false;
    }
  });
  fill(main, form);
  key.focus();
}

/** Who the key is: its name and role (GET /api/keys/self), so pages can leave out what the role may not do. */
async function identify() {
  try {
    const self = await api('GET', '/api/keys/self');
    who = `${self.name ?? self.prefix} (${self.role}${self.tenant ? `, ${self.tenant}` : ''})`;
    sessionStorage.setItem('hanul.role', self.role);
    sessionStorage.setItem('hanul.actor', `web-ui:${self.name ?? self.prefix}`);
  } catch (error) {
    // 404: authentication is off, so any key passes and there is no key to describe.
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    who = t('authOff');
    sessionStorage.setItem('hanul.role', 'admin');
  }
}

document.getElementById('lang').addEventListener('change', (event) => {
  setLanguage(event.target.value);
  render();
});
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  who = null;
  location.hash = '#/chat';
  render();
});
window.addEventListener('hashchange', () => {
  render();
  main.focus();
});
window.addEventListener('hanul:unauthorized', (event) => {
  if (signingIn) return;
  session.signOut();
  who = null;
  render().then(() => {
    main.querySelector('[role=alert]').textContent = t('sessionExpired', {reason: event.detail});
  });
});

setLanguage(language());
if (session.key) {
  identify().catch(() => session.signOut()).finally(render);
} else {
  render();
}
