// Small DOM helpers. Text always goes in as textContent (never innerHTML), so nothing a server or
// a journal says can become markup.

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

// h('button', {class: 'big', onclick: fn, disabled: true}, 'Start')
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

export function show(node, visible = true) {
  node.hidden = !visible;
}

// Sets text only when it changed: telemetry updates readouts 50 times a second.
export function setText(node, text) {
  const t = String(text);
  if (node.textContent !== t) node.textContent = t;
}

export function toggleClass(node, name, on) {
  if (node.classList.contains(name) !== Boolean(on)) node.classList.toggle(name, Boolean(on));
}

// A list of problems from an API error: the message, then one line per problem.
export function problemList(error) {
  const message = error.message || '';
  // A problem that only repeats the message ("weight: …" under 'weight "x": …') is left out.
  const items = (error.problems || []).filter((p) => !message.includes(String(p).replace(/^[^:]*: /, '')));
  return h('div', { class: 'problems', role: 'alert' },
    h('p', { class: 'problems-title' }, error.message || 'The request was refused.'),
    items.length ? h('ul', {}, items.map((p) => h('li', {}, p))) : null);
}
