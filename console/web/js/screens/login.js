// Log in: a role and a PIN, typed on the keypad or a keyboard.

import { login } from '../api.js';
import { $, $$, setText } from '../dom.js';
import { armAudio } from '../audio.js';

let chosenRole = 'operator';
let then = null; // where to go after the login
let message = '';
let roleChange = false; // an operator asked for a technician screen
let navigate = () => {};

function renderRole() {
  $$('#screen-login [data-role]').forEach((b) => b.setAttribute('aria-checked', String(b.dataset.role === chosenRole)));
}

// Called before the screen shows: the role to preset, a message (why the login ended), and the
// screen to go to afterwards.
export function prepare({ role = null, then: next = null, message: text = null } = {}) {
  if (role) chosenRole = role;
  if (next) then = next;
  roleChange = role === 'technician';
  if (text !== null && text !== undefined) message = text;
}

export function wantsRoleChange() {
  return roleChange;
}

export function init(ctx) {
  navigate = ctx.navigate;
  const pin = $('#pin');
  $$('#screen-login [data-role]').forEach((b) => b.addEventListener('click', () => {
    chosenRole = b.dataset.role;
    renderRole();
    pin.focus();
  }));
  $('#keypad').addEventListener('click', (event) => {
    const key = event.target.closest('button')?.dataset.key;
    if (!key) return;
    if (key === 'clear') pin.value = '';
    else if (key === 'back') pin.value = pin.value.slice(0, -1);
    else if (pin.value.length < 12) pin.value += key;
    setText($('#login-message'), '');
  });
  pin.addEventListener('input', () => {
    pin.value = pin.value.replace(/\D/g, '').slice(0, 12);
  });
  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    armAudio();
    const value = pin.value;
    const out = $('#login-message');
    if (value.length < 4) {
      setText(out, 'A PIN has 4 to 12 digits.');
      return;
    }
    const submit = $('#login-submit');
    submit.disabled = true;
    try {
      await login(chosenRole, value);
      pin.value = '';
      message = '';
      roleChange = false;
      const next = then;
      then = null;
      navigate(next);
    } catch (e) {
      pin.value = '';
      const body = (e.body && e.body.error) || {};
      let text = e.message;
      if (e.status === 401 && body.attempts_left !== undefined) text = `Wrong PIN. ${body.attempts_left} attempt${body.attempts_left === 1 ? '' : 's'} left.`;
      else if (e.status === 401) text = 'Wrong PIN.';
      else if (e.status === 429) {
        const s = body.retry_after_s ?? e.body?.retry_after_s;
        text = s ? `Too many wrong PINs: ${chosenRole} login is locked for ${Math.ceil(s / 60)} min.` : e.message;
      }
      setText(out, text);
      out.classList.add('error');
    } finally {
      submit.disabled = false;
    }
  });
}

export function enter() {
  renderRole();
  const out = $('#login-message');
  setText(out, message || '');
  out.classList.toggle('error', Boolean(message));
  $('#pin').value = '';
  $('#pin').focus();
}

export function leave() {}
