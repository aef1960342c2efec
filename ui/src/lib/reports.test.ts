import { describe, expect, it } from 'vitest';
import type { DocumentCheck } from './bindings/DocumentCheck';
import type { Notification } from './bindings/Notification';
import type { StageView } from './bindings/StageView';
import {
  buildRequest,
  checkLines,
  defaultFileName,
  defaultPeriod,
  followSuggestion,
  isDate,
  joinPath,
  notificationUnavailable,
  periodProblem,
  printableStages,
  sinceText,
  stepFraction,
  stepLabel,
  suggestedName,
  todayIn,
  trailWarning,
  unknownMessage,
  type ReportForm,
} from './reports';
import { notification, regimeClocks, stageView } from './fixtures.test-util';

const ID = 'AI-INC-2026-1120-001';

const note = notification;

const stage = (name: string, notifications: Notification[]) => stageView({ stage: name, notifications });

const regime = (key: string, name: string, applicable: boolean, stages: StageView[]) =>
  regimeClocks({ regime: key, name, applicable, suggestion: { suggested: applicable, reasons: [] }, stages });

const form = (over: Partial<ReportForm> = {}): ReportForm => ({
  kind: 'full',
  stage: '',
  classification: 'confidential',
  external: false,
  from: '',
  to: '',
  path: '/home/dana/Documents/x.pdf',
  ...over,
});

describe('default file names', () => {
  it('names a document after the incident and the kind, and marks external copies', () => {
    expect(defaultFileName({ kind: 'full', incident: ID, external: false })).toBe(`${ID}-full.pdf`);
    expect(defaultFileName({ kind: 'summary', incident: ID, external: true })).toBe(`${ID}-summary-external.pdf`);
    expect(defaultFileName({ kind: 'postmortem', incident: ID, external: false })).toBe(`${ID}-postmortem.pdf`);
  });

  it('gives each regime and stage its own notification file, so printing one does not replace another', () => {
    const gdpr = defaultFileName({ kind: 'notification', incident: ID, external: false, regime: 'gdpr-art33', stage: 'notification' });
    const nis2 = defaultFileName({ kind: 'notification', incident: ID, external: false, regime: 'nis2', stage: 'early-warning' });
    expect(gdpr).toBe(`${ID}-notification-gdpr-art33-notification.pdf`);
    expect(nis2).toBe(`${ID}-notification-nis2-early-warning.pdf`);
  });

  it('names the breach register extract after its period', () => {
    expect(defaultFileName({ kind: 'register', incident: null, external: false, from: '2026-01-01', to: '2026-12-01' })).toBe(
      'breach-register-2026-01-01-2026-12-01.pdf',
    );
    expect(defaultFileName({ kind: 'register', incident: null, external: true, from: '2026-01-01', to: '2026-03-31' })).toBe(
      'breach-register-2026-01-01-2026-03-31-external.pdf',
    );
  });

  it('keeps odd characters out of the name', () => {
    expect(defaultFileName({ kind: 'register', incident: null, external: false, from: '2026/01/01', to: '' })).toBe(
      'breach-register-2026-01-01.pdf',
    );
  });

  it('puts the name in the default folder with its own separator', () => {
    expect(joinPath('/home/dana/Documents', 'a.pdf')).toBe('/home/dana/Documents/a.pdf');
    expect(joinPath('/home/dana/Documents/', 'a.pdf')).toBe('/home/dana/Documents/a.pdf');
    expect(joinPath('C:\\Users\\dana\\Documents', 'a.pdf')).toBe('C:\\Users\\dana\\Documents\\a.pdf');
    expect(joinPath('', 'a.pdf')).toBe('a.pdf');
  });
});

describe('the File field when the options change', () => {
  const before = `/home/dana/Documents/${ID}-full.pdf`;
  const after = `/home/dana/Documents/${ID}-summary.pdf`;

  it('follows the suggestion while the user has not touched it (or emptied it)', () => {
    expect(followSuggestion(before, before, after)).toBe(after);
    expect(followSuggestion('', before, after)).toBe(after);
  });

  it('keeps the folder the user chose and renames the file', () => {
    expect(followSuggestion(`/tmp/out/${ID}-full.pdf`, before, after)).toBe(`/tmp/out/${ID}-summary.pdf`);
  });

  it('keeps a name the user typed', () => {
    expect(followSuggestion('/tmp/out/for-the-board.pdf', before, after)).toBe('/tmp/out/for-the-board.pdf');
  });
});

describe('progress', () => {
  it('fills the bar step by step and says what is happening', () => {
    const steps = [null, 'reading', 'laying_out', 'writing', 'done'] as const;
    const fractions = steps.map(stepFraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(stepLabel('reading')).toMatch(/Reading the record/);
    expect(stepLabel('laying_out')).toMatch(/Laying out/);
    expect(stepLabel('writing')).toMatch(/Writing the file/);
  });
});

describe('which regulator notifications can be printed', () => {
  const regimes = [
    regime('gdpr-art33', 'GDPR Art. 33', true, [stage('notification', [note({ status: 'approved' })])]),
    regime('nis2', 'NIS2', true, [
      stage('early-warning', [note({ regime: 'nis2', stage: 'early-warning', status: 'submitted' }), note({ sequence: 2 })]),
      stage('final-report', []),
    ]),
    regime('dora', 'DORA', false, [stage('initial', [note({ regime: 'dora', stage: 'initial' })])]),
  ];

  it('lists only stages of rules that apply with a notification drafted, saying which one is printed', () => {
    const stages = printableStages(regimes);
    expect(stages.map((s) => s.key)).toEqual(['gdpr-art33/notification', 'nis2/early-warning']);
    expect(stages[0]?.label).toBe('GDPR Art. 33 — Notification (approved, not submitted)');
    expect(stages[0]?.note).toBeNull();
    expect(stages[1]?.label).toBe('NIS2 — Early warning, supplement 1 (draft, not approved)');
    expect(stages[1]?.note).toMatch(/marked DRAFT/);
  });

  it('says why the option is disabled', () => {
    expect(notificationUnavailable([], null)).toMatch(/draft one on the Regulatory notification tab/);
    expect(notificationUnavailable(null, null)).toMatch(/Reading/);
    expect(notificationUnavailable(null, 'database locked')).toMatch(/database locked/);
    expect(notificationUnavailable(printableStages(regimes), null)).toBeNull();
  });
});

describe('the breach register period', () => {
  it('runs from 1 January to today in the user’s zone', () => {
    // 31 December 23:30 UTC is already 1 January in Berlin.
    const ms = Date.parse('2026-12-31T23:30:00Z');
    expect(todayIn('UTC', ms)).toBe('2026-12-31');
    expect(defaultPeriod('UTC', ms)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(defaultPeriod('Europe/Berlin', ms)).toEqual({ from: '2027-01-01', to: '2027-01-01' });
  });

  it('accepts real dates only, in order', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('1.1.2026')).toBe(false);
    expect(periodProblem('2026-01-01', '2026-01-01')).toBeNull();
    expect(periodProblem('2026-13-01', '2026-12-01')?.field).toBe('from');
    expect(periodProblem('2026-03-01', '2026-02-01')).toEqual({
      field: 'to',
      message: 'The period ends (2026-02-01) before it starts (2026-03-01).',
    });
  });
});

describe('the request', () => {
  const stages = printableStages([regime('gdpr-art33', 'GDPR Art. 33', true, [stage('notification', [note()])])]);

  it('sends the chosen classification and copy for the incident', () => {
    const b = buildRequest(form({ kind: 'summary', classification: 'restricted', external: true }), ID, stages);
    expect(b).toEqual({
      ok: true,
      dest: '/home/dana/Documents/x.pdf',
      request: {
        kind: 'summary',
        incident: ID,
        classification: 'restricted',
        external: true,
        regime: null,
        stage: null,
        from: null,
        to: null,
      },
    });
  });

  it('needs a regime and stage for a regulator notification', () => {
    expect(buildRequest(form({ kind: 'notification' }), ID, stages)).toMatchObject({ ok: false, problem: { field: 'stage' } });
    const b = buildRequest(form({ kind: 'notification', stage: 'gdpr-art33/notification' }), ID, stages);
    expect(b).toMatchObject({ ok: true, request: { regime: 'gdpr-art33', stage: 'notification' } });
  });

  it('needs a valid period for the register and no incident', () => {
    expect(buildRequest(form({ kind: 'register', from: '2026-01-01', to: 'today' }), null, [])).toMatchObject({
      ok: false,
      problem: { field: 'to' },
    });
    const b = buildRequest(form({ kind: 'register', from: ' 2026-01-01', to: '2026-06-30 ' }), null, []);
    expect(b).toMatchObject({ ok: true, request: { kind: 'register', incident: null, from: '2026-01-01', to: '2026-06-30' } });
  });

  it('needs a file', () => {
    expect(buildRequest(form({ path: '  ' }), ID, [])).toMatchObject({ ok: false, problem: { field: 'path' } });
  });

  it('suggests the name of what the form holds', () => {
    expect(suggestedName(form({ kind: 'notification', stage: 'gdpr-art33/notification', external: true }), ID, stages)).toBe(
      `${ID}-notification-gdpr-art33-notification-external.pdf`,
    );
    expect(suggestedName(form({ kind: 'register', from: '2026-01-01', to: '2026-02-01' }), null, [])).toBe(
      'breach-register-2026-01-01-2026-02-01.pdf',
    );
  });
});

describe('checking a file', () => {
  const known: DocumentCheck = {
    path: '/tmp/a.pdf',
    sha256: 'ab'.repeat(32),
    known: true,
    document: {
      id: 'd1',
      incident: 'u1',
      kind: 'full',
      options: { classification: 'restricted', external: true },
      head_seq: 44,
      head_hash: 'cd'.repeat(32),
      intact: true,
      entries: 44,
      sha256: 'ab'.repeat(32),
      pages: 9,
      file_name: 'a.pdf',
      generated_by: 'Dana Reyes',
      generated_at: '2026-12-01T21:59:34Z',
    },
    incident_id: ID,
    entries_since: 3,
    head_in_trail: true,
    seal: null,
    message: 'Known: …',
  };
  const kinds = [{ key: 'full', label: 'Full incident report' }];
  const classes = [{ key: 'restricted', label: 'Restricted' }];

  it('says what the document is, when and by whom it was generated (in the user’s zone) and what changed since', () => {
    const lines = Object.fromEntries(checkLines(known, kinds, classes, 'Europe/Berlin').map((l) => [l.label, l.value]));
    expect(lines.Document).toBe('Full incident report');
    expect(lines.Incident).toBe(ID);
    expect(lines.Generated).toBe('2026-12-01 22:59:34 CET by Dana Reyes');
    expect(lines['From audit entry']).toBe('#44');
    expect(lines['Entries since']).toBe('3 audit entries recorded after it: the record may have changed since.');
    expect(lines.Classification).toBe('Restricted');
    expect(lines['SHA-256']).toBe('ab'.repeat(32));
    expect(trailWarning(known)).toBeNull();
  });

  it('counts entries in words', () => {
    expect(sinceText(0)).toMatch(/has not changed/);
    expect(sinceText(1)).toMatch(/^1 audit entry recorded/);
  });

  it('warns when the history before the document was rewritten', () => {
    expect(trailWarning({ ...known, head_in_trail: false })).toMatch(/Audit entry #44 no longer has the hash/);
  });

  it('shows only the hash of an unknown file', () => {
    const unknown = { ...known, known: false, document: null, incident_id: null };
    expect(checkLines(unknown, kinds, classes, 'UTC')).toEqual([{ label: 'SHA-256', value: 'ab'.repeat(32), mono: true }]);
    expect(trailWarning(unknown)).toBeNull();
    const message = 'Unknown: /tmp/a.pdf (SHA-256 abab…) was not generated from this database, or it was altered since.';
    expect(unknownMessage({ ...unknown, message })).toBe(
      '/tmp/a.pdf (SHA-256 abab…) was not generated from this database, or it was altered since.',
    );
  });
});
