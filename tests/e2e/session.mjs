// One end-to-end session: a fresh database in a temporary folder, tauri-driver in front of WebKitWebDriver, the
// real desktop binary, and numbered screenshots in tests/e2e/artifacts/<name>/.

import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, rmSync } from 'node:fs';
import { it } from 'node:test';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebDriver, sleep } from './webdriver.mjs';

export const root = resolve(import.meta.dirname, '../..');
const app = process.env.FIREBREAK_APP ?? join(root, 'target/debug/firebreak-app');
const cliBinary = process.env.FIREBREAK_CLI ?? join(root, 'target/debug/firebreak');
const port = Number(process.env.WEBDRIVER_PORT ?? 4444);

export class Session {
  /** `name` names the screenshot folder; `seed(cli)` runs before the app starts. */
  static async start(name, seed = () => {}) {
    const s = new Session();
    s.artifacts = join(root, 'tests/e2e/artifacts', name);
    mkdirSync(s.artifacts, { recursive: true });
    s.dataDir = mkdtempSync(join(tmpdir(), `firebreak-e2e-${name}-`));
    s.db = join(s.dataDir, 'firebreak.db');
    s.sealKey = join(s.dataDir, 'seal.key');
    s.shot = 0;
    // As a user's first `firebreak init` would: the app creates a database only on its default path.
    s.cli(['init']);
    seed(s.cli.bind(s));
    // Two ports per run (tauri-driver and WebKitWebDriver behind it), so parallel runs can pick other ones.
    const args = ['--port', String(port), '--native-port', String(port + 1), '--native-driver', '/usr/bin/WebKitWebDriver'];
    // The driver's output goes to a file, not to the test runner's pipe: a process of the tree left behind would
    // otherwise hold that pipe open and the runner would wait for it forever after the last test (a CI run did).
    const log = openSync(join(s.artifacts, 'driver.log'), 'w');
    s.driver = spawn('tauri-driver', args, {
      env: { ...process.env, FIREBREAK_DB: s.db, FIREBREAK_SEAL_KEY: s.sealKey, TZ: 'UTC' },
      stdio: ['ignore', log, log],
      // Its own process group, so stop() ends the driver, WebKitWebDriver and the app together, even an app
      // orphaned by a crashed WebKitWebDriver.
      detached: true,
    });
    closeSync(log);
    live.add(s);
    try {
      s.wd = await WebDriver.start(`http://127.0.0.1:${port}`, app);
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  /** Runs the `firebreak` CLI on this session's database, as an alert pipeline would. */
  cli(args, actor = 'Alert pipeline') {
    const env = { ...process.env, FIREBREAK_DB: this.db, FIREBREAK_SEAL_KEY: this.sealKey, FIREBREAK_ACTOR: actor };
    return execFileSync(cliBinary, args, { env })
      .toString()
      .trim();
  }

  async screenshot(name) {
    // WebKit's screenshot is the last composited frame, which once showed a field still being typed into.
    await this.wd.painted();
    this.shot += 1;
    writeFileSync(join(this.artifacts, `${String(this.shot).padStart(2, '0')}-${name}.png`), await this.wd.screenshot());
  }

  async rows(testId) {
    return this.wd.findAll(`[data-testid="${testId}"]`);
  }

  /** Runs "Verify record integrity" and returns the verdict once the check has finished. */
  async verify() {
    await this.wd.clickTestId('verify-button');
    return this.wd.until('the verification to finish', async () => {
      const text = await this.wd.text('[data-testid="verify-result"]');
      return /intact/i.test(text) ? text : null;
    });
  }

  /** The first-run questions, answered as Dana Reyes, incident commander in Berlin. */
  async introduce() {
    const wd = this.wd;
    await wd.byTestId('profile-name', { timeoutMs: 30000 });
    await wd.type('profile-name', 'Dana Reyes');
    await wd.type('profile-role', 'Incident commander');
    await wd.select('profile-timezone', 'Europe/Berlin');
    await wd.clickTestId('profile-save');
    await wd.byTestId('register-table');
  }

  /** Opens the incident `id` from the register and waits for its page. */
  async openIncident(id) {
    await this.wd.click(`[data-testid="register-row"][data-id="${id}"] button`);
    await this.wd.byTestId('incident-id');
  }

  async stop() {
    if (this.wd) await this.wd.quit();
    this.kill('SIGTERM');
    await sleep(500);
    this.kill('SIGKILL');
    live.delete(this);
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Signals the whole process group: tauri-driver, WebKitWebDriver, the app and WebKit's helper processes. */
  kill(signal) {
    if (!this.driver?.pid) return;
    try {
      process.kill(-this.driver.pid, signal);
    } catch (e) {
      if (e.code !== 'ESRCH') throw e;
    }
  }
}

/** `step(name, body)`: a test that leaves a screenshot of the screen it failed on; `current()` gives the file's
 *  session (started in its `before`). */
export function stepWithScreenshot(current) {
  return (name, body) =>
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        await current()
          ?.screenshot(`FAILED-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`)
          .catch(() => {});
        throw e;
      }
    });
}

// Sessions still running when the test process ends (a failed `before`, an interrupted run) are ended with it.
const live = new Set();
process.on('exit', () => {
  for (const s of live) s.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(1));
}
