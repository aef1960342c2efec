// A minimal W3C WebDriver client over fetch: enough to drive the Firebreak window through tauri-driver without
// pulling a browser-automation framework (and its browser downloads) into the build.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriver {
  constructor(base, sessionId) {
    this.base = base;
    this.sessionId = sessionId;
  }

  static async start(base, application, { timeoutMs = 60000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
      try {
        const value = await request('POST', `${base}/session`, {
          capabilities: { alwaysMatch: { 'tauri:options': { application } } },
        });
        return new WebDriver(base, value.sessionId);
      } catch (e) {
        lastError = e;
        await sleep(500);
      }
    }
    throw new Error(`could not start a WebDriver session: ${lastError}`);
  }

  async cmd(method, path, body) {
    return request(method, `${this.base}/session/${this.sessionId}${path}`, body);
  }

  async quit() {
    await this.cmd('DELETE', '').catch(() => {});
  }

  /** Waits until `css` matches a displayed element and returns its id. */
  async find(css, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css }).catch(() => []);
      for (const el of found) {
        const id = el[ELEMENT];
        const shown = await this.cmd('GET', `/element/${id}/displayed`).catch(() => false);
        if (shown) return id;
      }
      if (Date.now() > deadline) throw new Error(`no visible element matches ${css}`);
      await sleep(150);
    }
  }

  async findAll(css) {
    const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return found.map((el) => el[ELEMENT]);
  }

  async byTestId(id, opts) {
    return this.find(`[data-testid="${id}"]`, opts);
  }

  async click(css) {
    let id = await this.find(css);
    // A person waits for a button that is still busy; clicking a disabled one does nothing.
    await this.until(`${css} to be enabled`, () => this.cmd('GET', `/element/${id}/enabled`));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cmd('POST', `/element/${id}/click`, {});
        return;
      } catch (e) {
        // The driver scrolls the element just into view, where a fixed bar or a toast may cover it (or leaves it in a
        // scrolled strip, like the tab row), or the screen re-rendered it meanwhile: find it again, centre it and
        // try again, as a person would.
        if (attempt >= 10 || !/click intercepted|not interactable|stale element/.test(String(e))) {
          throw new Error(`clicking ${css}: ${e.message}`);
        }
        id = await this.find(css);
        await this.script('arguments[0].scrollIntoView({ block: "center" })', [{ [ELEMENT]: id }]);
        await sleep(300);
      }
    }
  }

  async clickTestId(testId) {
    await this.click(`[data-testid="${testId}"]`);
  }

  async type(testId, text, { clear = true } = {}) {
    const id = await this.byTestId(testId);
    if (clear) await this.cmd('POST', `/element/${id}/clear`, {});
    await this.cmd('POST', `/element/${id}/value`, { text });
  }

  /** Chooses an option of a <select>. Native option pop-ups cannot be clicked reliably through WebKitWebDriver,
   *  so the choice is made the way the browser does it: set the value and fire `change`. */
  async select(testId, value) {
    await this.selectNth(testId, 0, value);
  }

  /** The same for the n-th <select> with that test id (rows of a table carry the same ids). */
  async selectNth(testId, n, value) {
    await this.until(`${testId} #${n} offering ${value}`, async () => {
      const all = await this.findAll(`[data-testid="${testId}"] option[value="${value}"]`);
      return all.length > n;
    });
    await this.script(
      `const s = document.querySelectorAll('[data-testid="${testId}"]')[arguments[1]]; s.value = arguments[0];
       s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [value, n],
    );
  }

  /** Chooses an option of the first <select> matching a CSS selector (for controls repeated in several cards). */
  async selectIn(css, value) {
    await this.until(`${css} offering ${value}`, async () => (await this.findAll(`${css} option[value="${value}"]`)).length > 0);
    await this.script(
      `const s = document.querySelector(arguments[1]); s.value = arguments[0];
       s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [value, css],
    );
  }

  /** Types into the first element matching a CSS selector. */
  async typeIn(css, text, { clear = true } = {}) {
    const id = await this.find(css);
    if (clear) await this.cmd('POST', `/element/${id}/clear`, {});
    await this.cmd('POST', `/element/${id}/value`, { text });
  }

  /** Waits until `css` stops moving (a smooth scroll has finished), so a click lands where it is aimed. */
  async settled(css) {
    let last = null;
    await this.until(`${css} to stop moving`, async () => {
      const top = await this.script(`return document.querySelector(arguments[0])?.getBoundingClientRect().top ?? null`, [css]);
      const still = top !== null && top === last;
      last = top;
      if (!still) await sleep(120);
      return still;
    });
  }

  /** Puts text into a field the way pasting does: tabs and newlines stay characters, not key presses. */
  async paste(testId, text) {
    await this.byTestId(testId);
    await this.script(
      `const el = document.querySelector('[data-testid="${testId}"]'); el.focus(); el.value = arguments[0];
       el.dispatchEvent(new Event('input', { bubbles: true }));`,
      [text],
    );
  }

  async text(css) {
    const id = await this.find(css);
    return this.cmd('GET', `/element/${id}/text`);
  }

  async textOf(elementId) {
    return this.cmd('GET', `/element/${elementId}/text`);
  }

  async attribute(elementId, name) {
    return this.cmd('GET', `/element/${elementId}/attribute/${name}`);
  }

  async script(source, args = []) {
    return this.cmd('POST', '/execute/sync', { script: source, args });
  }

  /** Resolves once the page has painted twice: what a screenshot then shows is the DOM as it is now. */
  async painted() {
    const source = 'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));';
    return this.cmd('POST', '/execute/async', { script: source, args: [] });
  }

  /** Polls until `predicate` (async) returns a truthy value. */
  async until(what, predicate, { timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await predicate();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
      await sleep(200);
    }
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }
}

async function request(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  }
  return json.value;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
