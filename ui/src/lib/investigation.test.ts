import { describe, expect, it } from 'vitest';
import type { Step } from './bindings/TraceStep';
import {
  dayBefore,
  emptyStepFilters,
  stepWindow,
  forDisplay,
  SHOWN_CHARS,
  isStepFiltered,
  oneLine,
  pretty,
  runKey,
  stepFilterKey,
  stepSummary,
  toStepFilter,
  visible,
} from './investigation';

function step(over: Partial<Step> = {}): Step {
  return {
    run: 0,
    kind: 'tool_call',
    name: null,
    at: null,
    ended_at: null,
    agent: null,
    model: null,
    tool: 'send_email',
    arguments: null,
    result: null,
    is_error: false,
    error: null,
    input_tokens: null,
    output_tokens: null,
    cost: null,
    source_id: null,
    parent_source_id: null,
    call_id: null,
    origin: { line: 1, offset: 0 },
    ...over,
  };
}

describe('step filters', () => {
  it('sends only the filters that are set, with the page asked for', () => {
    const f = { ...emptyStepFilters(), tool: 'send_email', failedOnly: true };
    expect(toStepFilter(f, 'UTC', 400, 200)).toEqual({
      import: null,
      run: null,
      agent: null,
      tool: 'send_email',
      kind: null,
      errors_only: true,
      from: null,
      to: null,
      offset: 400,
      limit: 200,
    });
  });

  it('names a run by its import too, since two files may both have a run line-1', () => {
    const run = runKey({ import: 'imp-2', source_id: 'line-1' });
    expect(run).not.toBe(runKey({ import: 'imp-1', source_id: 'line-1' }));
    const filter = toStepFilter({ ...emptyStepFilters(), run }, 'UTC', 0, 200);
    expect([filter.import, filter.run]).toEqual(['imp-2', 'line-1']);
  });

  it('gives a new key when a filter changes, and knows the unfiltered view', () => {
    const key = (f: Partial<ReturnType<typeof emptyStepFilters>>) => stepFilterKey({ ...emptyStepFilters(), ...f }, 'UTC');
    expect(key({})).not.toBe(key({ kind: 'error' }));
    // A bound being typed does not refetch until it reads as a time.
    expect(key({ from: '2026-11-2' })).toBe(key({}));
    expect(key({ from: '2026-11-20 09:00' })).not.toBe(key({}));
    expect(isStepFiltered(emptyStepFilters())).toBe(false);
    expect(isStepFiltered({ ...emptyStepFilters(), agent: 'Refunds' })).toBe(true);
  });
});

describe('texts from traces', () => {
  it('shows control and direction characters as escapes, and keeps line breaks and tabs', () => {
    expect(visible('a\u202Eexe.txt')).toBe('a\\u{202E}exe.txt');
    expect(visible('bell\u0007 esc\u001b[31m')).toBe('bell\\u{7} esc\\u{1B}[31m');
    expect(visible('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
    expect(oneLine('two\nlines')).toBe('two ⏎ lines');
    // Invisible text: a zero-width space, a byte-order mark and Unicode tags spelling "hi".
    expect(visible('a\u200Bb\uFEFF\u{E0068}\u{E0069}')).toBe('a\\u{200B}b\\u{FEFF}\\u{E0068}\\u{E0069}');
    // Joiners stay: emoji and scripts need them.
    expect(visible('👩\u200D💻')).toBe('👩\u200D💻');
  });

  it('pretty-prints JSON and leaves everything else to be shown as it is', () => {
    expect(pretty('{"to":"a@example.com","amount":120.5}')).toBe('{\n  "to": "a@example.com",\n  "amount": 120.5\n}');
    expect(pretty('<img src=x onerror=alert(1)>')).toBeNull();
    expect(pretty('{"not json"')).toBeNull();
    expect(pretty('plain words')).toBeNull();
  });

  it('does not reformat JSON whose numbers JavaScript would round', () => {
    expect(pretty('{"account":12345678901234567890}')).toBeNull();
    expect(pretty('{"id":"12345678901234567890"}')).not.toBeNull();
  });

  it('sums a step up by its error first, then what went in or came out, cut at a length', () => {
    expect(stepSummary(step({ arguments: '{"a":1}', error: 'SMTP relay refused' }))).toBe('SMTP relay refused');
    expect(stepSummary(step({ result: 'line one\nline two' }))).toBe('line one ⏎ line two');
    expect(stepSummary(step({ arguments: 'x'.repeat(300) }), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(stepSummary(step())).toBe('');
  });
});

describe('a step shown in its detail', () => {
  it('formats JSON unless asked for the original, and escapes what would hide text', () => {
    expect(forDisplay('{"a":1}', false, false)).toEqual({ text: '{\n  "a": 1\n}', hidden: 0 });
    expect(forDisplay('{"a":1}', true, false)).toEqual({ text: '{"a":1}', hidden: 0 });
    expect(forDisplay('x\u001b[2J', true, false).text).toBe('x\\u{1B}[2J');
  });

  it('cuts a very long text, says how much is left, and shows it all when asked', () => {
    const long = `{"blob":"${'y'.repeat(SHOWN_CHARS)}"}`;
    const cut = forDisplay(long, false, false);
    expect(cut.text.length).toBe(SHOWN_CHARS);
    expect(cut.hidden).toBe(long.length - SHOWN_CHARS);
    expect(cut.text.startsWith('{"blob"')).toBe(true);
    expect(forDisplay(long, false, true)).toEqual({ text: long, hidden: 0 });
  });
});

describe('the time window', () => {
  it('reads both bounds in the user zone and refuses a window that ends before it starts', () => {
    const f = { ...emptyStepFilters(), from: '2026-11-20 10:00', to: '2026-11-20 12:00' };
    expect(stepWindow(f, 'Europe/Berlin')).toEqual({
      from: '2026-11-20T09:00:00Z',
      to: '2026-11-20T11:00:00Z',
      errors: {},
    });
    const backwards = stepWindow({ ...f, to: '2026-11-20 08:00' }, 'Europe/Berlin');
    expect(backwards.to).toBeNull();
    expect(backwards.errors.to).toMatch(/ends before it starts/);
    expect(stepWindow({ ...f, from: 'yesterday' }, 'UTC').errors.from).toMatch(/YYYY-MM-DD HH:MM/);
    expect(toStepFilter({ ...f, from: 'yesterday' }, 'UTC', 0, 200).from).toBeNull();
  });

  it('starts a day before detection', () => {
    expect(dayBefore('2026-11-20T09:30:00Z')).toBe('2026-11-19T09:30:00Z');
  });
});
