// End to end: the regulatory flow in the real desktop app. Applicability answers suggest GDPR and NIS2; legal
// confirms them and records awareness; the GDPR countdown shows in the register and the incident header; the GDPR
// notification is drafted, completed, approved and submitted; the NIS2 notification's submission starts the final
// report's clock. Screenshots land in tests/e2e/artifacts/notify/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Session, stepWithScreenshot } from './session.mjs';

let session;
let wd;
let id;
const shot = (name) => session.screenshot(name);
// Awareness 30 hours ago: the GDPR clock (72 h) has 42 hours left, NIS2's early warning (24 h) is overdue.
const aware = new Date(Date.now() - 30 * 3_600_000);
aware.setUTCSeconds(0, 0);

const step = stepWithScreenshot(() => session);

const regime = (r) => `[data-testid="regime"][data-regime="${r}"]`;
const inRegime = (r, testId) => `${regime(r)} [data-testid="${testId}"]`;

async function answer(question, value) {
  await wd.clickTestId(`answer-${question}-${value}`);
  await wd.until(`${question} saved as ${value}`, async () =>
    wd.script(`return document.querySelector('[data-testid="answer-${question}-${value}"]')?.checked === true`),
  );
}

async function confirmAndTrigger(r) {
  await wd.click(inRegime(r, 'decide-applies'));
  await wd.selectIn(inRegime(r, 'decide-by'), 'Lena Vogel');
  await wd.click(inRegime(r, 'decide-save'));
  await wd.until(`${r} confirmed`, async () => /Applies, confirmed by Lena Vogel/.test(await wd.text(inRegime(r, 'regime-decision'))));
  await wd.click(`${regime(r)} [data-kind="awareness"] [data-testid="trigger-record"]`);
  await wd.click(`${regime(r)} [data-kind="awareness"] [data-testid="trigger-use-record"]`);
  await wd.selectIn(`${regime(r)} [data-kind="awareness"] [data-testid="trigger-by"]`, 'Lena Vogel');
  await wd.click(`${regime(r)} [data-kind="awareness"] [data-testid="trigger-save"]`);
  await wd.until(`${r} awareness recorded`, async () =>
    /decided by Lena Vogel/.test(await wd.text(`${regime(r)} [data-kind="awareness"]`)),
  );
}

async function stageState(r, stage) {
  return wd.script(
    `return document.querySelector('${regime(r)} [data-stage="${stage}"] [data-testid="stage-clock"]')?.dataset.state ?? null`,
  );
}

async function openDraft(r, stage) {
  await wd.click(`${regime(r)} [data-stage="${stage}"] [data-testid="stage-draft"]`);
  await wd.find(`[data-testid="draft-editor"][data-regime="${r}"][data-stage="${stage}"]`);
  await wd.settled('[data-testid="draft-editor"]');
  await wd.clickTestId('draft-start');
  await wd.byTestId('draft-text');
}

async function approveAndSubmit(reference) {
  await wd.select('draft-approver', 'Lena Vogel');
  await wd.clickTestId('draft-approve');
  await wd.until('approved', async () => /approved/.test(await wd.text('[data-testid="draft-status"]')));
  await wd.type('draft-channel', 'Authority portal');
  await wd.type('draft-reference', reference);
  await wd.clickTestId('draft-submit');
  await wd.until('submitted', async () => /submitted/.test(await wd.text('[data-testid="draft-status"]')));
}

describe('Regulatory clocks and notifications', () => {
  before(async () => {
    session = await Session.start('notify', (cli) => {
      cli(['people', 'add', '--name', 'Lena Vogel', '--role', 'Data protection officer', '--email', 'dpo@example.com']);
      id = cli([
        'incident', 'new', '--title', 'Support agent exported customer records to a public bucket',
        '--detected-by', 'alert', '--detected-at', aware.toISOString(), '--aware-at', aware.toISOString(),
        '--commander', 'Dana Reyes', '--summary', 'The agent copied 1,200 customer profiles to a public storage bucket.',
        '--set', 'data_classes=personal_data', '--set', 'customer_impact=Names and emails of 1,200 customers exposed',
      ]);
    });
    wd = session.wd;
    await session.introduce();
    await session.openIncident(id);
  });

  after(async () => {
    if (session) await session.stop();
  });

  step('the questionnaire suggests GDPR and NIS2, with the reasoning', async () => {
    await wd.clickTestId('tab-notification');
    await wd.byTestId('applicability');
    await answer('personal_data', 'yes');
    await wd.clickTestId('region-eu_eea');
    await wd.until('EU chosen', async () => wd.script(`return document.querySelector('[data-testid="region-eu_eea"]').checked`));
    await answer('risk', 'yes');
    await answer('high_risk', 'no');
    await answer('nis2', 'yes');
    for (const q of ['dora', 'ai_act', 'sec', 'hipaa', 'nydfs', 'certin']) await answer(q, 'no');
    await wd.until('GDPR and NIS2 suggested', async () => (await session.rows('regime')).length >= 2);
    assert.match(await wd.text(inRegime('gdpr-art33', 'regime-decision')), /Suggested/);
    assert.match(await wd.text(regime('gdpr-art33')), /People in EU \/ EEA: yes/);
    assert.equal((await wd.findAll(regime('gdpr-art34'))).length, 1, 'Art. 34 is listed among the others');
    await shot('applicability');
  });

  step('legal confirms GDPR and records awareness: the 72-hour clock runs', async () => {
    await confirmAndTrigger('gdpr-art33');
    await wd.until('GDPR upcoming', async () => (await stageState('gdpr-art33', 'notification')) === 'upcoming');
    const due = await wd.text(`${regime('gdpr-art33')} [data-stage="notification"] [data-testid="stage-due"]`);
    const expected = new Date(aware.getTime() + 72 * 3_600_000);
    const berlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' });
    assert.ok(due.startsWith(berlin.format(expected)), `due ${due}, expected ${berlin.format(expected)} Berlin time`);
    assert.match(await wd.text(`${regime('gdpr-art33')} [data-stage="notification"]`), /1 d 1[78]:\d\d:\d\d left/);
    await shot('gdpr-clock');
  });

  step('the GDPR countdown is in the incident header and the register', async () => {
    assert.match(await wd.text('[data-testid="header-gdpr-clock"]'), /GDPR 72 h.*Upcoming.*left/s);
    await wd.script('window.scrollTo(0, 0)');
    await shot('header-clock');
    await wd.clickTestId('nav-register');
    const cell = `[data-testid="register-row"][data-id="${id}"] [data-testid="register-clock"]`;
    await wd.until('the register clock', async () => /GDPR Art\. 33 notification/.test(await wd.text(cell)));
    assert.match(await wd.text(cell), /Upcoming.*left/s);
    await shot('register-clock');
    await wd.click(`[data-testid="register-row"][data-id="${id}"] button`);
    await wd.clickTestId('tab-notification');
    await wd.byTestId('applicability');
  });

  step('the GDPR notification is drafted, completed, approved by legal and submitted', async () => {
    await openDraft('gdpr-art33', 'notification');
    assert.match(await wd.text('[data-testid="draft-text"]'), /1,200 customer profiles/);
    assert.match(await wd.text('[data-testid="draft-missing"]'), /Measures taken or proposed/);
    // Approval is refused while required content is missing, and says what.
    await wd.select('draft-approver', 'Lena Vogel');
    await wd.clickTestId('draft-approve');
    assert.match(await wd.text('[data-testid="draft-error"]'), /cannot be approved yet/);
    await wd.typeIn('[data-testid="draft-item"][data-key="measures"]', 'Bucket made private; agent paused; keys rotated.');
    await wd.clickTestId('draft-save');
    await wd.until('saved', async () => /Bucket made private/.test(await wd.text('[data-testid="draft-text"]')));
    await shot('gdpr-draft');
    await approveAndSubmit('DPC-2026-118');
    assert.match(await wd.text('[data-testid="draft-hash"]'), /SHA-256 of the submitted text/);
    await wd.until('GDPR submitted on time', async () => (await stageState('gdpr-art33', 'notification')) === 'submitted_on_time');
    await shot('gdpr-submitted');
    // Phased reporting: a supplement starts from what was submitted, not from the record again.
    await wd.clickTestId('draft-start');
    await wd.until('the supplement', async () => /Supplementary information no\. 1/.test(await wd.text('[data-testid="draft-text"]')));
    assert.match(await wd.text('[data-testid="draft-notice"]'), /Started from the last submission/);
    assert.match(await wd.text('[data-testid="draft-text"]'), /Bucket made private; agent paused; keys rotated\./);
    await shot('gdpr-supplement');
    const shown = JSON.parse(session.cli(['incident', 'show', id, '--json']));
    assert.equal(shown.id, id);
  });

  step('submitting the NIS2 notification starts the final report clock', async () => {
    await wd.clickTestId('answer-nis2-yes'); // already yes: no change, the card is there
    await confirmAndTrigger('nis2');
    await wd.until('early warning overdue', async () => (await stageState('nis2', 'early-warning')) === 'overdue');
    assert.equal(await stageState('nis2', 'final-report'), 'waiting');
    assert.match(await wd.text(`${regime('nis2')} [data-stage="final-report"]`), /Starts when notification submitted/);
    await openDraft('nis2', 'notification');
    await wd.typeIn('[data-testid="draft-item"][data-key="update"]', 'Contained; the bucket is private again.');
    await wd.typeIn('[data-testid="draft-item"][data-key="severity_impact"]', 'High: 1,200 customers exposed.');
    await wd.clickTestId('draft-save');
    await wd.until('saved', async () => /1,200 customers exposed/.test(await wd.text('[data-testid="draft-text"]')));
    // The optional indicators were left empty: the authority reads that they are not available, never a gap.
    const text = await wd.text('[data-testid="draft-text"]');
    assert.match(text, /Indicators of compromise[^\n]*\nNot available at the time of this notification\./);
    assert.doesNotMatch(text, /to be completed/);
    await wd.script(`document.querySelector('[data-testid="draft-editor"]').scrollIntoView({ block: 'start' })`);
    await shot('nis2-draft');
    await approveAndSubmit('CSIRT-4711');
    await wd.until('final report clock started', async () => (await stageState('nis2', 'final-report')) === 'upcoming');
    assert.match(await wd.text(`${regime('nis2')} [data-stage="final-report"] [data-testid="stage-due"]`), /\d{4}-\d\d-\d\d/);
    await wd.settled(regime('nis2'));
    await wd.script(`document.querySelector('${regime('nis2')} [data-stage="final-report"]').scrollIntoView({ block: 'center' })`);
    await shot('nis2-follow-up');
    assert.match(await session.verify(), /Record intact/);
    await wd.clickTestId('verify-close');
  });

  step('recording that Art. 34 does not apply needs the reasoning, and keeps it', async () => {
    await wd.click('[data-testid="regimes-other"] summary');
    const r = 'gdpr-art34';
    await wd.click(inRegime(r, 'decide-not-applicable'));
    await wd.selectIn(inRegime(r, 'decide-by'), 'Lena Vogel');
    await wd.click(inRegime(r, 'decide-save'));
    assert.match(await wd.text(inRegime(r, 'error-decide-reason')), /Say why GDPR Art\. 34 does not apply/);
    await shot('not-applicable-refused');
    await wd.typeIn(inRegime(r, 'decide-reason'), 'Only names and emails; no high risk to the people concerned.');
    await wd.click(inRegime(r, 'decide-save'));
    await wd.until('recorded as not applying', async () =>
      /Does not apply/.test(await wd.text('[data-testid="regimes-not-applicable"]')),
    );
  });

  step('the breach register lists the incident with its decisions, reasoning and submissions', async () => {
    await wd.clickTestId('nav-breaches');
    const entry = `[data-testid="breach-entry"][data-id="${id}"]`;
    await wd.find(entry);
    const text = await wd.text(entry);
    assert.match(text, /Notified/);
    assert.match(text, /GDPR Art\. 33\s*Applies/);
    assert.match(text, /DPC-2026-118/);
    assert.match(text, /CSIRT-4711/);
    assert.match(text, /GDPR Art\. 34\s*Does not apply.*no high risk to the people concerned/s);
    await shot('breach-register');
  });
});
