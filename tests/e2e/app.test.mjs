// End to end: the real Firebreak desktop binary under Xvfb, driven through tauri-driver + WebKitWebDriver.
// Each step saves a screenshot to tests/e2e/artifacts/ so people can look at what users see.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Session } from './session.mjs';
import { sleep } from './webdriver.mjs';

let session;
let wd;
let db;
const screenshot = (name) => session.screenshot(name);
const rows = (testId) => session.rows(testId);

describe('Firebreak desktop app', () => {
  before(async () => {
    // An alert pipeline opened an incident from the command line before anyone started the app.
    session = await Session.start('register', (cli) =>
      cli(['incident', 'new', '--title', 'Invoice agent paid a supplier twice', '--business-owner', 'Sam Ortiz', '--set', 'severity=sev2']),
    );
    wd = session.wd;
    db = session.db;
  });

  after(async () => {
    if (session) await session.stop();
  });

  it('asks for name, role and time zone on first start', async () => {
    await wd.byTestId('profile-name', { timeoutMs: 30000 });
    await screenshot('first-run');
    await wd.type('profile-name', 'Dana Reyes');
    await wd.type('profile-role', 'Incident commander');
    await wd.select('profile-timezone', 'Europe/Berlin');
    await wd.clickTestId('profile-save');
    await wd.byTestId('register-table');
    const found = await rows('register-row');
    assert.equal(found.length, 1, 'the incident opened from the CLI is in the register');
    await screenshot('register');
  });

  it('refuses an incident without a title, next to the field', async () => {
    await wd.clickTestId('nav-new-incident');
    await wd.byTestId('field-title');
    await wd.clickTestId('create-incident');
    const message = await wd.text('[data-testid="error-title"]');
    assert.match(message, /title/i);
    await screenshot('new-incident-validation');
  });

  let id;
  it('opens an incident through the form, confirming an early awareness time', async () => {
    // Agent output is shown as text: this title must appear literally, never as markup.
    await wd.type('field-title', 'Refund bot emailed wrong amounts <img src=x onerror=alert(1)>');
    assert.equal((await rows('error-title')).length, 0, 'the title error goes once a title is typed');
    await wd.type('field-summary', 'The refund agent told 40 customers they would get the wrong refund.');
    await wd.type('field-workflow', 'Customer refunds');
    await wd.type('field-detected_at', '2026-11-20 09:00');
    await wd.type('field-aware_at', '2026-11-20 08:30');
    await wd.select('field-severity', 'sev1');
    await wd.select('field-business_owner', 'Sam Ortiz');
    await wd.click('[data-testid="field-data_classes-personal_data"]');
    await wd.click('[data-testid="field-incident_types-external_send"]');
    await screenshot('new-incident-filled');
    await wd.clickTestId('create-incident');
    await wd.byTestId('confirm-dialog');
    await screenshot('confirm-early-awareness');
    await wd.clickTestId('confirm-yes');
    id = (await wd.text('[data-testid="incident-id"]')).trim();
    assert.match(id, /^AI-INC-\d{4}-\d{4}-\d{3}$/);
    assert.equal(await wd.text('[data-testid="incident-title"]'), 'Refund bot emailed wrong amounts <img src=x onerror=alert(1)>');
    await screenshot('incident-record');
  });

  it('finds the incident in the register by search', async () => {
    await wd.clickTestId('nav-register');
    await wd.until('two incidents', async () => (await rows('register-row')).length === 2);
    await wd.type('register-search', 'refund bot');
    const found = await wd.until('one search hit', async () => {
      const r = await rows('register-row');
      return r.length === 1 ? r : null;
    });
    assert.equal(await wd.attribute(found[0], 'data-id'), id);
    await screenshot('register-search');
    await wd.type('register-search', id.toLowerCase());
    await wd.until('search by ID', async () => (await rows('register-row')).length === 1);
    await session.openIncident(id);
  });

  it('changes a field and shows who changed it in the history', async () => {
    await wd.type('field-workflow', 'Customer refunds (EU)');
    await wd.clickTestId('save-changes');
    await wd.byTestId('toast');
    await wd.clickTestId('tab-history');
    const entry = await wd.until('the status change in the history', async () => {
      for (const row of await rows('history-row')) {
        const text = await wd.textOf(row);
        if (/Workflow affected/.test(text) && /Customer refunds \(EU\)/.test(text)) return text;
      }
      return null;
    });
    assert.match(entry, /Dana Reyes/);
    assert.match(entry, /Customer refunds/);
    await screenshot('incident-history');
  });

  it('refuses a status change the record does not support, and accepts an override with a reason', async () => {
    await wd.clickTestId('tab-record');
    assert.match(await wd.text('[data-testid="guidance-next"]'), /Next:/);
    await wd.select('status-target', 'contained');
    await wd.clickTestId('status-move');
    const refusal = await wd.text('[data-testid="status-refusal"]');
    assert.match(refusal, /cannot move to Contained/);
    assert.match(refusal, /Severity/);
    await screenshot('status-gate-refused');
    await wd.type('status-override-reason', 'The vendor switched the bot off before we were told');
    await wd.clickTestId('status-override');
    await wd.until('the Contained badge', async () => /Contained/.test(await wd.text('.badges')));
    await screenshot('status-overridden');
  });

  it('verifies record integrity, and names an edit made outside the app', async () => {
    assert.match(await session.verify(), /Record intact/);
    await screenshot('verify-intact');
    await wd.clickTestId('verify-close');

    execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); c.execute("UPDATE incidents SET summary = 'Nothing to see here' WHERE id = ?", (${JSON.stringify(id)},)); c.commit()`]);
    await wd.clickTestId('verify-button');
    const result = await wd.until('a broken verification', async () => {
      const text = await wd.text('[data-testid="verify-result"]');
      return /NOT intact/.test(text) ? text : null;
    });
    assert.match(result, new RegExp(id));
    assert.match(result, /summary/);
    await screenshot('verify-tampered');
    await wd.clickTestId('verify-close');
  });

  it('keeps a people directory', async () => {
    await wd.clickTestId('nav-people');
    await wd.type('person-name', 'Lee Chen');
    await wd.type('person-role', 'Technical owner');
    await wd.type('person-email', 'lee.chen@example.com');
    await wd.clickTestId('person-save');
    await wd.until('three people', async () => (await rows('person-row')).length === 3);
    await screenshot('people');
  });

  it('shows every open incident in the register, sorted by severity', async () => {
    await wd.clickTestId('nav-register');
    await wd.until('two incidents', async () => (await rows('register-row')).length === 2);
    await wd.clickTestId('sort-severity');
    const first = (await rows('register-row'))[0];
    assert.equal(await wd.attribute(first, 'data-id'), id, 'the Sev 1 incident comes before the Sev 2 one');
    await sleep(4500); // let the last notice fade so the picture shows the register alone
    await screenshot('register-overview');
  });
});
