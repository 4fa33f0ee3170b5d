// Small DOM helpers: elements are built with h(), never from HTML strings, so no text can become markup.

/** h('button', {type: 'button', onclick: f}, 'Send') — attributes, then children (strings, nodes, arrays, null). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Tells screen readers something happened (the page's polite live region). */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // A new text node on the next frame, so the same message twice is read twice.
  requestAnimationFrame(() => { status.textContent = text; });
}

let ids = 0;
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form control: <label for=…>text</label> followed by the control. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  const hintNode = hint ? h('span', {class: 'hint', id: `${control.id}-hint`}, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', {class: 'field'}, h('label', {for: control.id}, labelText), control, hintNode);
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(document.documentElement.lang);
}
