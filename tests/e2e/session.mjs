// One end-to-end session: a fresh database in a temporary folder, tauri-driver in front of WebKitWebDriver, the
// real desktop binary, and numbered screenshots in tests/e2e/artifacts/<name>/.

import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
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
    s.shot = 0;
    seed(s.cli.bind(s));
    // Two ports per run (tauri-driver and WebKitWebDriver behind it), so parallel runs can pick other ones.
    const args = ['--port', String(port), '--native-port', String(port + 1), '--native-driver', '/usr/bin/WebKitWebDriver'];
    s.driver = spawn('tauri-driver', args, {
      env: { ...process.env, FIREBREAK_DB: s.db, TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    s.wd = await WebDriver.start(`http://127.0.0.1:${port}`, app);
    return s;
  }

  /** Runs the `firebreak` CLI on this session's database, as an alert pipeline would. */
  cli(args, actor = 'Alert pipeline') {
    return execFileSync(cliBinary, args, { env: { ...process.env, FIREBREAK_DB: this.db, FIREBREAK_ACTOR: actor } })
      .toString()
      .trim();
  }

  async screenshot(name) {
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

  async stop() {
    if (this.wd) await this.wd.quit();
    if (this.driver) this.driver.kill();
    await sleep(300);
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
