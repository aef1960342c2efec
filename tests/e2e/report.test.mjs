// End to end: PDF documents in the real desktop app. The Reports menu of an incident offers its documents with a
// file named after the incident; the full report is written where the user typed, is what `pdftotext` and
// `firebreak report check` say it is, and a missing folder is refused with every choice kept. "Check a report…" knows
// the generated file and not a copy with one byte changed. The breach register exports its PDF extract for this
// year, the default classification set in the profile is the one the dialog starts with, and a long generation
// shows its progress while Generate waits. Screenshots land in tests/e2e/artifacts/report/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, stepWithScreenshot } from './session.mjs';

let session;
let wd;
let id;
let bulk;
let full;
const shot = (name) => session.screenshot(name);
const aware = new Date(Date.now() - 2 * 3_600_000);
aware.setUTCSeconds(0, 0);

const step = stepWithScreenshot(() => session);

const value = (testId) => wd.script(`return document.querySelector('[data-testid="${testId}"]')?.value ?? null`);
const checked = (testId) => wd.script(`return document.querySelector('[data-testid="${testId}"]')?.checked ?? null`);
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const pdfText = (file) => execFileSync('pdftotext', ['-layout', file, '-']).toString();
/** Documents the ledger holds under a file name (python3 is among the e2e dependencies; sqlite3 is not). */
const documentsNamed = (name) =>
  Number(
    execFileSync('python3', [
      '-c',
      'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM documents WHERE file_name = ?", (sys.argv[2],)).fetchone()[0])',
      session.db,
      // Fields are stored as JSON text.
      JSON.stringify(name),
    ]).toString(),
  );

/** Today in Berlin (Dana's zone), YYYY-MM-DD. */
const berlinToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short' }).format(new Date());

async function untilPath(suffix) {
  return wd.until(`the File field to end in ${suffix}`, async () => {
    const v = await value('report-path');
    return typeof v === 'string' && v.endsWith(suffix) ? v : null;
  });
}

async function generate() {
  await wd.clickTestId('report-generate');
  return wd.until('the generation to finish', async () => {
    const done = await wd.findAll('[data-testid="report-success"]');
    if (done.length > 0) return wd.text('[data-testid="report-success"]');
    const failed = await wd.findAll('[data-testid="report-error"]');
    if (failed.length > 0) throw new Error(`generation failed: ${await wd.text('[data-testid="report-error"]')}`);
    return null;
  });
}

describe('PDF documents', () => {
  before(async () => {
    session = await Session.start('report', (cli) => {
      cli(['people', 'add', '--name', 'Lena Vogel', '--role', 'Data protection officer', '--email', 'dpo@example.com']);
      id = cli([
        'incident', 'new', '--title', 'Support agent exported customer records to a public bucket',
        '--detected-by', 'alert', '--detected-at', aware.toISOString(), '--aware-at', aware.toISOString(),
        '--commander', 'Dana Reyes', '--summary', 'The agent copied 1,200 customer profiles to a public storage bucket.',
        '--set', 'data_classes=personal_data',
      ]);
      // GDPR Art. 33 is suggested (so it runs) and its notification drafted: the notification can be printed.
      for (const [q, v] of [['personal_data', 'yes'], ['locations', 'eu_eea'], ['risk', 'yes'], ['high_risk', 'no']]) {
        cli(['notify', 'answer', id, q, v]);
      }
      cli(['notify', 'draft', id, 'gdpr-art33']);
      // An incident with tens of thousands of affected objects: its full report (some 600 pages) takes long enough,
      // even on a fast machine, for the test to see the progress bar and the disabled button (6,000 rows did not).
      bulk = cli([
        'incident', 'new', '--title', 'Billing agent re-read every invoice', '--detected-by', 'alert',
        '--detected-at', aware.toISOString(), '--commander', 'Dana Reyes',
      ]);
      const rows = ['system,object_type,object_id,action'];
      for (let i = 0; i < 30000; i++) rows.push(`billing,invoice,inv-${String(i).padStart(5, '0')},read`);
      const csv = join(tmpdir(), `firebreak-e2e-report-objects-${process.pid}.csv`);
      writeFileSync(csv, rows.join('\n'));
      try {
        cli(['affected', 'import', bulk, csv]);
      } finally {
        rmSync(csv, { force: true });
      }
    });
    wd = session.wd;
    full = join(session.dataDir, `${id}-full.pdf`);
    await session.introduce();
    await session.openIncident(id);
  });

  after(async () => {
    if (session) await session.stop();
  });

  step('the Reports menu offers the documents, with a file named after the incident and the choices', async () => {
    await wd.script('window.scrollTo(0, 0)');
    await shot('incident-header');
    await wd.clickTestId('reports-open');
    await wd.byTestId('report-dialog');
    const suggested = await untilPath(`/${id}-full.pdf`);
    assert.ok(suggested.startsWith('/'), `an absolute path in the default folder: ${suggested}`);
    assert.equal(await checked('report-kind-full'), true);
    assert.equal(await value('report-classification'), 'confidential');
    // The regulator notification lists the drafted GDPR stage; a draft prints marked DRAFT.
    await wd.clickTestId('report-kind-notification');
    await wd.byTestId('report-stage');
    assert.equal(await value('report-stage'), 'gdpr-art33/notification');
    assert.match(await wd.text('[data-testid="report-stage"]'), /GDPR Art\. 33 — Notification \(draft, not approved\)/);
    assert.match(await wd.text('[data-testid="report-stage-note"]'), /marked DRAFT/);
    await untilPath(`/${id}-notification-gdpr-art33-notification.pdf`);
    await wd.clickTestId('report-external');
    await untilPath(`/${id}-notification-gdpr-art33-notification-external.pdf`);
    assert.match(await wd.text('[data-testid="report-dialog"]'), /named by their roles, emails and phone numbers are removed.*pseudonyms/s);
    await shot('reports-notification');
    await wd.clickTestId('report-external');
    await wd.clickTestId('report-kind-full');
    assert.equal(await untilPath(`/${id}-full.pdf`), suggested, 'back to the first suggestion');
  });

  step('Generate writes the full report where the user typed; the CLI knows it', async () => {
    await wd.type('report-path', full);
    const text = await generate();
    assert.match(text, new RegExp(`Full incident report written, \\d+ pages, to\\s+${full.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.ok(existsSync(full), 'the file exists');
    assert.equal(await wd.text('[data-testid="report-sha256"]'), sha256(full), 'the SHA-256 shown is the file’s');
    const pdf = pdfText(full);
    assert.ok(pdf.includes(id), 'the PDF names the incident');
    assert.match(pdf, /Integrity/);
    const check = JSON.parse(session.cli(['report', 'check', full, '--json']));
    assert.equal(check.known, true, check.message);
    assert.equal(check.document.kind, 'full');
    assert.equal(check.incident_id, id);
    assert.equal(check.document.generated_by, 'Dana Reyes');
    assert.equal(documentsNamed(`${id}-full.pdf`), 1);
    await shot('full-report-written');
  });

  step('a missing folder is refused: no file, the dialog stays open with the choices kept', async () => {
    const missing = join(session.dataDir, 'no-such-folder', 'report.pdf');
    await wd.clickTestId('report-again');
    assert.equal(await value('report-path'), full, 'the choices are kept for another document');
    await wd.selectIn('[data-testid="report-classification"]', 'restricted');
    await wd.clickTestId('report-kind-summary');
    await wd.type('report-path', missing);
    await wd.clickTestId('report-generate');
    const error = await wd.until('the refusal', async () => {
      const found = await wd.findAll('[data-testid="report-error"]');
      return found.length > 0 ? wd.text('[data-testid="report-error"]') : null;
    });
    assert.match(error, /no-such-folder/);
    assert.equal(existsSync(missing), false);
    assert.equal(await value('report-path'), missing);
    assert.equal(await value('report-classification'), 'restricted');
    assert.equal(await checked('report-kind-summary'), true);
    assert.equal(await wd.attribute(await wd.byTestId('report-error'), 'role'), 'alert');
    await shot('missing-folder-refused');
    await wd.clickTestId('report-close');
    await wd.until('the dialog to close', async () => (await wd.findAll('[data-testid="report-dialog"]')).length === 0);
  });

  step('"Check a report…" knows the generated file and not a copy with one byte changed', async () => {
    await wd.clickTestId('check-open');
    await wd.type('check-path', full);
    await wd.clickTestId('check-run');
    await wd.find('[data-testid="check-result"][data-known="true"]');
    const known = await wd.text('[data-testid="check-result"]');
    assert.match(known, /Known/);
    assert.match(known, /Full incident report/);
    assert.ok(known.includes(id));
    assert.match(known, /Generated\s+\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? CES?T by Dana Reyes/);
    assert.match(known, /From audit entry\s+#\d+/);
    assert.match(known, /Entries since\s+None: the record has not changed since/);
    assert.ok(known.includes(sha256(full)));
    assert.equal((await wd.findAll('[data-testid="check-warning"]')).length, 0);
    await shot('check-known');

    const bytes = readFileSync(full);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    const altered = join(session.dataDir, 'altered.pdf');
    writeFileSync(altered, bytes);
    await wd.type('check-path', altered);
    await wd.clickTestId('check-run');
    await wd.find('[data-testid="check-result"][data-known="false"]');
    const unknown = await wd.text('[data-testid="check-result"]');
    assert.match(unknown, /Unknown/);
    assert.match(unknown, /not generated from this database, or it was altered since/);
    assert.throws(() => session.cli(['report', 'check', altered]), 'the CLI exits 1 for an unknown file too');
    await shot('check-unknown');
    await wd.clickTestId('check-close');
  });

  step('the breach register exports its PDF extract for this year', async () => {
    await wd.clickTestId('nav-breaches');
    await wd.find(`[data-testid="breach-entry"][data-id="${id}"]`);
    await wd.clickTestId('breach-export-pdf');
    await wd.byTestId('report-dialog');
    const today = berlinToday();
    const from = `${today.slice(0, 4)}-01-01`;
    assert.equal(await value('report-from'), from);
    assert.equal(await value('report-to'), today);
    await untilPath(`/breach-register-${from}-${today}.pdf`);
    await shot('register-dialog');
    const file = join(session.dataDir, 'register.pdf');
    await wd.type('report-path', file);
    const text = await generate();
    assert.match(text, /Breach register extract written/);
    assert.ok(existsSync(file));
    const pdf = pdfText(file);
    assert.ok(pdf.includes(id), 'the extract lists the incident');
    assert.match(pdf, /Breach register/i);
    assert.equal(JSON.parse(session.cli(['report', 'check', file, '--json'])).known, true);
    await shot('register-written');
    await wd.clickTestId('report-close');
  });

  step('the default classification is set in the profile; the dialog starts with it and generates once', async () => {
    await wd.clickTestId('nav-profile');
    await wd.selectIn('[data-testid="profile-classification"]', 'restricted');
    await shot('profile-classification');
    await wd.clickTestId('profile-save');
    await wd.until('saved', async () => /Profile saved/.test(await wd.text('[data-testid="toast"]')));
    await wd.clickTestId('nav-register');
    await wd.click(`[data-testid="register-row"][data-id="${id}"] button`);
    await wd.clickTestId('reports-open');
    await wd.until('the new default', async () => (await value('report-classification')) === 'restricted');
    await wd.clickTestId('report-kind-summary');
    const file = join(session.dataDir, 'summary.pdf');
    await wd.type('report-path', file);
    // Two clicks before the page has re-rendered: one document.
    await wd.script(`const b = document.querySelector('[data-testid="report-generate"]'); b.click(); b.click();`);
    await wd.until('the summary', async () => (await wd.findAll('[data-testid="report-success"]')).length > 0);
    assert.match(await wd.text('[data-testid="report-success"]'), /One-page summary written, 1 page/);
    assert.match(pdfText(file), /Restricted/);
    assert.equal(documentsNamed('summary.pdf'), 1, 'generated once');
    await shot('summary-written');
    await wd.clickTestId('report-close');
  });

  step('a long generation shows where it stands, and Generate waits for it', async () => {
    await wd.clickTestId('nav-register');
    await wd.click(`[data-testid="register-row"][data-id="${bulk}"] button`);
    await wd.until('the bulk incident', async () => (await wd.text('[data-testid="incident-id"]')) === bulk);
    await wd.clickTestId('reports-open');
    await untilPath(`/${bulk}-full.pdf`);
    const file = join(session.dataDir, 'bulk-full.pdf');
    await wd.type('report-path', file);
    await wd.clickTestId('report-generate');
    await wd.byTestId('report-progress', { timeoutMs: 10000 });
    assert.match(
      await wd.text('[data-testid="report-progress"]'),
      /Starting…|Reading the record and verifying the audit trail…|Laying out the pages…|Writing the file…|Done/,
    );
    const button = await wd.byTestId('report-generate');
    assert.equal(await wd.cmd('GET', `/element/${button}/enabled`), false, 'Generate is disabled while it runs');
    assert.match(await wd.text('[data-testid="report-generate"]'), /Generating…/);
    await shot('progress');
    await wd.until('the bulk report', async () => (await wd.findAll('[data-testid="report-success"]')).length > 0, {
      timeoutMs: 240000,
    });
    assert.match(await wd.text('[data-testid="report-success"]'), /Full incident report written, \d+ pages/);
    assert.equal(documentsNamed('bulk-full.pdf'), 1);
    assert.equal(JSON.parse(session.cli(['report', 'check', file, '--json'])).known, true);
    await wd.clickTestId('report-close');
    assert.match(await session.verify(), /Record intact/);
    await wd.clickTestId('verify-close');
  });

  step('in the smallest window the top bar fits and the dialog keeps its buttons in view', async () => {
    await wd.cmd('POST', '/window/rect', { width: 960, height: 600 });
    await wd.until('the smaller window', async () => (await wd.script('return window.innerWidth')) <= 960);
    const bar = await wd.script(`const t = document.querySelector('.topbar'); return [t.scrollWidth, t.clientWidth]`);
    assert.ok(bar[0] <= bar[1], `the top bar fits: ${bar[0]} px of content in ${bar[1]} px`);
    await wd.clickTestId('reports-open');
    await wd.byTestId('report-path');
    const fits = await wd.script(
      `const b = document.querySelector('[data-testid="report-generate"]').getBoundingClientRect(); return b.bottom <= window.innerHeight && b.top >= 0`,
    );
    assert.equal(fits, true, 'Generate is on screen without scrolling');
    await shot('small-window');
    await wd.clickTestId('report-close');
  });
});
