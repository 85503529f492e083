// The sandbox page: plain DOM. Every change in the stand-in arrives as a Server-Sent Event; the page then
// re-reads what the current person sees (HTML rendered by the server from Preflight's Block Kit).
const $ = (sel) => document.querySelector(sel);
const state = { as: '', conv: 'dm', thread: '' };
let workspace = { people: [], channels: [], commands: [], programName: '' };
const shown = { conversation: null, thread: null, modal: null, home: null };

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (p.get('as')) state.as = p.get('as');
  if (p.get('conv')) state.conv = p.get('conv');
  state.thread = p.get('thread') ?? '';
}
function writeHash() {
  const p = new URLSearchParams({ as: state.as, conv: state.conv, ...(state.thread ? { thread: state.thread } : {}) });
  history.replaceState(null, '', `#${p}`);
}

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 5000);
}

const personName = (id) => workspace.people.find((p) => p.id === id)?.name ?? id;

function renderSidebar() {
  $('#program-name').textContent = `${workspace.programName} · sandbox`;
  const you = $('#you-are');
  you.replaceChildren(...workspace.people.map((p) => new Option(p.name, p.id, false, p.id === state.as)));
  const item = (label, conv, as) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'nav';
    b.dataset.conv = conv;
    if (as) b.dataset.as = as;
    b.textContent = label;
    li.append(b);
    return li;
  };
  $('#channels').replaceChildren(...workspace.channels.map((c) => item(`# ${c.name}`, c.id)));
  $('#dms').replaceChildren(...workspace.people.map((p) => item(`${p.name} ↔ Preflight`, 'dm', p.id)));
  $('#tracker-nav').hidden = !workspace.tracker;
  $('#steps-nav').hidden = !(workspace.steps ?? []).length;
  $('#composer-hint').textContent = `Commands: ${workspace.commands.join(', ')}. Enter sends, Shift+Enter adds a line.`;
}

function markCurrent() {
  for (const b of document.querySelectorAll('.nav')) {
    const current = b.dataset.conv === state.conv && (!b.dataset.as || b.dataset.as === state.as);
    b.setAttribute('aria-current', current ? 'true' : 'false');
  }
  const title =
    state.conv === 'tracker'
      ? 'Tracker · the issues Preflight reads as tasks'
      : state.conv === 'home'
        ? 'App Home · Preflight'
        : state.conv === 'dm'
          ? `Preflight · direct messages with ${personName(state.as)}`
          : `# ${workspace.channels.find((c) => c.id === state.conv)?.name ?? state.conv}`;
  $('#conv-title').textContent = title;
  $('#composer').hidden = state.conv === 'home' || state.conv === 'tracker';
  $('#conversation').hidden = state.conv === 'tracker';
  $('#tracker').hidden = state.conv !== 'tracker';
}

function replace(el, key, html) {
  if (shown[key] === html) return false;
  shown[key] = html;
  el.innerHTML = html;
  return true;
}

// The Tracker view: the tracker stand-in's issues; a change here is made "in the tracker", which sends its signed
// webhook to Preflight (the list of webhooks shows Preflight's answer).
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
};
let trackerShown = '';
async function renderTracker() {
  const view = await api('/api/tracker');
  const json = JSON.stringify(view);
  if (json === trackerShown) return;
  trackerShown = json;
  const root = $('#tracker');
  const focused = document.activeElement?.closest?.('#tracker [data-ref]') ? { ref: document.activeElement.dataset.ref, field: document.activeElement.dataset.field } : null;
  const people = view.people;
  const sections = view.sources.map((s) => {
    const rows = s.issues.map((i) => {
      const status = el('select', { className: 'tracker-status', ariaLabel: `Status of ${i.ref}` }, ...view.statuses.map((st) => new Option(st, st, false, st === i.status)));
      const assignee = el(
        'select',
        { ariaLabel: `Assignee of ${i.ref}` },
        new Option('Unassigned', '', false, !i.assignee),
        ...people.map((p) => new Option(p.name, p.email, false, p.email === i.assignee?.email)),
      );
      const due = el('input', { type: 'date', value: i.due ?? '', ariaLabel: `Due date of ${i.ref}` });
      for (const [input, field] of [
        [status, 'status'],
        [assignee, 'assigneeEmail'],
        [due, 'due'],
      ]) {
        input.dataset.ref = i.ref;
        input.dataset.field = field;
        input.addEventListener('change', () => void editIssue(i.ref, field, input.value));
      }
      const blocked = i.blockedBy.length ? el('div', { className: 'hint', textContent: `blocked by ${i.blockedBy.join(', ')}` }) : null;
      const comments = i.comments.length ? el('div', { className: 'hint', textContent: `💬 ${i.comments.at(-1)}${i.comments.length > 1 ? ` (+${i.comments.length - 1})` : ''}` }) : null;
      return el(
        'tr',
        { className: i.status === 'Done' ? 'done' : '' },
        el('th', { scope: 'row', textContent: i.ref }),
        el('td', {}, el('span', { textContent: i.title }), blocked, comments),
        el('td', {}, status),
        el('td', {}, assignee),
        el('td', {}, due),
        el('td', { textContent: i.priority ?? '—' }),
        el('td', { className: 'hint', textContent: i.taskId }),
      );
    });
    const head = el('tr', {}, ...['Issue', 'Title', 'Status', 'Assignee', 'Due', 'Priority', 'Task id'].map((h) => el('th', { scope: 'col', textContent: h })));
    return el(
      'section',
      { className: 'tracker-source' },
      el('h3', { textContent: `${s.tracker} · ${s.key}${s.workstream ? ` → tasks of workstream ${s.workstream}` : ''}` }),
      el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
    );
  });
  const hooks = view.webhooks.map((w) =>
    el('li', {
      textContent: `${w.kind} ${w.key}: ${w.error ? `not delivered (${w.error})` : `Preflight answered HTTP ${w.status}${w.status === 404 ? ' (no webhook route for this tracker yet)' : ''}`}`,
    }),
  );
  root.replaceChildren(
    el('p', { className: 'hint', textContent: 'Change an issue as its team would in the tracker: the tracker sends its signed webhook to Preflight, and the task follows.' }),
    ...sections,
    el('h3', { textContent: 'Webhooks sent to Preflight' }),
    hooks.length ? el('ul', { className: 'tracker-webhooks' }, ...hooks) : el('p', { className: 'empty', textContent: 'None yet: change an issue above.' }),
  );
  if (focused) root.querySelector(`[data-ref="${CSS.escape(focused.ref)}"][data-field="${focused.field}"]`)?.focus();
}
async function editIssue(ref, field, value) {
  try {
    await api('/api/tracker/issue', { ref, [field]: value });
  } catch (e) {
    toast(e.message);
    trackerShown = '';
  }
  await refresh();
}

let refreshing = null;
let focusBeforeModal = null;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      if (state.conv === 'tracker') {
        await renderTracker();
        continue;
      }
      const q = new URLSearchParams({ as: state.as, conv: state.conv, ...(state.thread ? { thread: state.thread } : {}) });
      const s = await api(`/api/screen?${q}`);
      const conv = $('#conversation');
      const atBottom = conv.scrollHeight - conv.scrollTop - conv.clientHeight < 40;
      if (replace(conv, state.conv === 'home' ? 'home' : 'conversation', state.conv === 'home' ? s.home : s.conversation) && (atBottom || state.conv !== 'home')) conv.scrollTop = conv.scrollHeight;
      if (state.conv === 'home') shown.conversation = null;
      else shown.home = null;
      $('#thread-pane').hidden = !state.thread;
      replace($('#thread'), 'thread', s.thread);
      const layer = $('#modal-layer');
      const opening = !!s.modal && layer.hidden;
      if (opening) focusBeforeModal = document.activeElement;
      layer.hidden = !s.modal;
      $('.layout').inert = !!s.modal; // keyboard focus stays in the modal while it is open
      // the same view drawn again (its errors changed): keep what the person typed and where, as Slack keeps an
      // input's state while its block_id stays
      const before = layer.querySelector('form.modal');
      const kept = before ? { viewId: before.dataset.viewId, values: formValues(before), focused: document.activeElement?.closest?.('form.modal') ? document.activeElement.name : '' } : null;
      if (replace(layer, 'modal', s.modal) && s.modal) {
        const after = layer.querySelector('form.modal');
        if (after && kept?.viewId === after.dataset.viewId) restoreValues(after, kept.values, kept.focused);
        else layer.querySelector('input, textarea, select, button')?.focus();
      }
      if (!s.modal && focusBeforeModal) {
        focusBeforeModal.focus?.();
        focusBeforeModal = null;
      }
    } while (again);
  })().finally(() => (refreshing = null));
  return refreshing;
}

async function go(conv, as) {
  if (as) state.as = as;
  state.conv = conv;
  state.thread = '';
  $('#you-are').value = state.as;
  writeHash();
  markCurrent();
  shown.conversation = shown.home = shown.modal = null;
  // busy until the new conversation is shown (assistive technology, and tests, wait for it)
  $('#conversation').setAttribute('aria-busy', 'true');
  try {
    if (conv === 'home') await api('/api/home', { as: state.as }).catch((e) => toast(e.message));
    await refresh();
  } finally {
    $('#conversation').removeAttribute('aria-busy');
  }
}

function whereOf(el) {
  const msg = el.closest('article.message');
  if (msg) return { kind: 'message', channel: msg.dataset.channel, ts: msg.dataset.ts, ...(msg.dataset.ephemeral ? { ephemeral: true } : {}) };
  const view = el.closest('[data-view-id]');
  return view ? { kind: 'view', viewId: view.dataset.viewId } : null;
}

function formValues(form) {
  const values = {};
  for (const el of form.querySelectorAll('[name]')) {
    if (el.type === 'checkbox') {
      values[el.name] ??= [];
      if (el.checked) values[el.name].push(el.value);
    } else if (el.type === 'radio') {
      if (el.checked) values[el.name] = el.value;
    } else values[el.name] = el.value;
  }
  return values;
}

/** Puts `values` (from {@link formValues}) back into `form`'s fields of the same names, and focus on `focused`. */
function restoreValues(form, values, focused) {
  for (const el of form.querySelectorAll('[name]')) {
    if (!(el.name in values)) continue;
    const v = values[el.name];
    if (el.type === 'checkbox') el.checked = v.includes(el.value);
    else if (el.type === 'radio') el.checked = v === el.value;
    else el.value = v;
  }
  const target = focused ? form.querySelector(`[name="${CSS.escape(focused)}"]`) : null;
  (target ?? form.querySelector('input, textarea, select, button'))?.focus();
}

const confirmDialog = $('#confirm');
function confirmFirst(el) {
  if (!el.dataset.confirm) return Promise.resolve(true);
  const c = JSON.parse(el.dataset.confirm);
  $('#confirm-title').textContent = c.title || 'Are you sure?';
  $('#confirm-text').innerHTML = c.text; // rendered and escaped by the server
  $('#confirm-ok').textContent = c.confirm;
  $('#confirm-ok').className = `btn ${c.style === 'danger' ? 'btn-danger' : 'btn-primary'}`;
  $('#confirm-deny').textContent = c.deny;
  confirmDialog.returnValue = '';
  confirmDialog.showModal();
  return new Promise((resolve) => confirmDialog.addEventListener('close', () => resolve(confirmDialog.returnValue === 'confirm'), { once: true }));
}

async function act(el, selected) {
  if (!(await confirmFirst(el))) return;
  const a = JSON.parse(el.dataset.action);
  const where = whereOf(el);
  const modal = el.closest('form.modal');
  el.disabled = true;
  try {
    await api('/api/action', { as: state.as, where, blockId: a.block_id, actionId: a.action_id, ...(selected !== undefined ? { selected } : {}), ...(modal ? { values: formValues(modal) } : {}) });
  } catch (e) {
    toast(e.message);
  } finally {
    el.disabled = false;
  }
}

document.addEventListener('click', (ev) => {
  const nav = ev.target.closest('.nav');
  if (nav) return void go(nav.dataset.conv, nav.dataset.as);
  const thread = ev.target.closest('[data-open-thread]');
  if (thread) {
    state.thread = thread.dataset.openThread;
    writeHash();
    return void refresh().then(() => $('#thread-input').focus());
  }
  const close = ev.target.closest('[data-close-modal]');
  if (close) return void api('/api/close', { as: state.as }).catch((e) => toast(e.message));
  const button = ev.target.closest('button[data-action]');
  if (button) return void act(button);
});
document.addEventListener('change', (ev) => {
  const sel = ev.target.closest('select[data-action]');
  if (sel?.value) {
    const value = sel.value;
    sel.value = '';
    void act(sel, value);
  }
});
document.addEventListener('submit', (ev) => {
  const form = ev.target.closest('form.modal');
  if (!form) return;
  ev.preventDefault();
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  shown.modal = null; // re-render even when the same view comes back (errors change)
  api('/api/submit', { as: state.as, viewId: form.dataset.viewId, values: formValues(form) })
    .catch((e) => toast(e.message))
    .finally(() => {
      if (submit) submit.disabled = false;
    });
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && !$('#modal-layer').hidden && !confirmDialog.open) void api('/api/close', { as: state.as });
});

function composer(form, input, thread) {
  const send = async () => {
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    try {
      await api('/api/compose', { as: state.as, conv: state.conv, text, ...(thread() ? { thread: thread() } : {}) });
    } catch (e) {
      input.value = text;
      toast(e.message);
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey) {
      ev.preventDefault();
      void send();
    }
  });
}

composer($('#composer'), $('#composer-input'), () => '');
composer($('#thread-composer'), $('#thread-input'), () => state.thread);
$('#close-thread').addEventListener('click', () => {
  state.thread = '';
  writeHash();
  void refresh();
});
$('#you-are').addEventListener('change', (ev) => void go(state.conv, ev.target.value));

workspace = await api('/api/workspace');
readHash();
if (!workspace.people.some((p) => p.id === state.as)) state.as = workspace.people[0]?.id ?? '';
renderSidebar();
const events = new EventSource('/api/events');
let pending = null;
events.onmessage = () => {
  clearTimeout(pending);
  pending = setTimeout(() => void refresh().catch((e) => toast(e.message)), 60);
};
await go(state.conv, state.as);
document.body.dataset.ready = '1';

// "Run a workflow step" (issue 24): the app's Workflow Builder steps (manifest.yml `functions:`), run as the current person
const stepOf = (id) => (workspace.steps ?? []).find((s) => s.callbackId === id);
function renderStepInputs() {
  const step = stepOf($('#step-pick').value);
  $('#step-result').textContent = '';
  $('#step-inputs').replaceChildren(
    ...(step?.inputs ?? [])
      .filter((p) => p.type !== 'slack#/types/user_context')
      .map((p) => {
        const wrap = document.createElement('p');
        const label = document.createElement('label');
        label.htmlFor = `step-in-${p.name}`;
        label.textContent = `${p.title ?? p.name}${p.is_required ? ' (required)' : ''}`;
        const input = document.createElement('input');
        input.id = `step-in-${p.name}`;
        input.name = p.name;
        input.type = p.type === 'integer' || p.type === 'number' ? 'number' : 'text';
        input.placeholder = p.type === 'slack#/types/user_id' ? 'a user id, like U0LEAD' : (p.description ?? '');
        wrap.append(label, input);
        return wrap;
      }),
  );
}
$('#open-step').addEventListener('click', () => {
  const pick = $('#step-pick');
  if (!pick.options.length) pick.replaceChildren(...(workspace.steps ?? []).map((s) => new Option(s.title, s.callbackId)));
  renderStepInputs();
  $('#step-dialog').showModal();
});
$('#step-pick').addEventListener('change', renderStepInputs);
$('#step-form').addEventListener('submit', (ev) => {
  if (ev.submitter?.value !== 'run') return;
  ev.preventDefault();
  const inputs = Object.fromEntries([...$('#step-inputs').querySelectorAll('input')].map((i) => [i.name, i.value]));
  $('#step-result').textContent = 'Running…';
  api('/api/step', { as: state.as, step: $('#step-pick').value, inputs })
    .then((r) => {
      $('#step-result').textContent =
        r.state === 'completed'
          ? `✅ Completed. Outputs: ${Object.entries(r.outputs)
              .map(([k, v]) => `${k} = ${v}`)
              .join('; ')}`
          : r.state === 'failed'
            ? `❌ The step failed: ${r.error}`
            : '⏳ Preflight has not answered yet.';
    })
    .catch((e) => {
      $('#step-result').textContent = `⚠️ ${e.message}`;
    });
});
