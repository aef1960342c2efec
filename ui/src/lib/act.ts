// One change made from a screen: busy while it runs, then a notice, an error on one field, or a failure with what
// is missing. Screens keep one `ActionState` (one per form where a screen has forms that work apart) and run every
// change through `perform`. A list that saves each row as it is edited keeps a `RowSave` per row instead, and saves
// through `saveRow`, so each row says for itself whether it was saved.

import { ApiFailure, toFailure } from './api';
import { placeFailure } from './errors';

export interface ActionState {
  busy: boolean;
  notice: string | null;
  /** Refusals about one input, by field name, shown beside that input. */
  errors: Record<string, string>;
  /** Any other refusal (conflict, gate with its missing items, storage). */
  failure: ApiFailure | null;
}

export function idle(): ActionState {
  return { busy: false, notice: null, errors: {}, failure: null };
}

/** Where `perform` puts a refusal that is not shown as the state's failure. */
export interface Routes {
  /**
   * The fields this screen shows an error beside. A list: a refusal about one of them goes to `errors`, one about any
   * other field is shown as the failure (so it is never lost). A function: it puts the message beside its field and
   * says whether it could. Default: every field, into `errors`.
   */
  fields?: readonly string[] | ((field: string, message: string) => boolean);
  /** Asks the question of a `confirmation_required` refusal; the screen sends the change again, confirmed, if the
   *  answer is yes. Default: the question is shown as the failure. */
  confirm?: (question: string) => void;
}

/** Work that may say what it did: its text becomes the notice. */
export type Work = () => Promise<string | null | void>;

/** Runs `work` (its text, if any, becomes the notice), then `after` (reload, tell the page). Returns whether the
 * change went through. */
export async function perform(
  state: ActionState,
  work: Work,
  after: () => Promise<void> | void,
  routes: Routes = {},
): Promise<boolean> {
  state.busy = true;
  state.errors = {};
  state.failure = null;
  state.notice = null;
  try {
    const said = await work();
    await after();
    if (typeof said === 'string') state.notice = said;
    return true;
  } catch (e) {
    place(state, toFailure(e), routes);
    return false;
  } finally {
    state.busy = false;
  }
}

function place(state: ActionState, f: ApiFailure, { fields, confirm }: Routes) {
  // errors.ts decides where a failure belongs; this only records it in the state.
  const known = typeof fields === 'object' ? fields : f.field ? [f.field] : [];
  const p = placeFailure(f, known);
  if (p.kind === 'field') {
    if (typeof fields !== 'function') {
      state.errors = { [p.field]: p.message };
      return;
    }
    if (fields(p.field, p.message)) return;
  }
  if (p.kind === 'confirm' && confirm) {
    confirm(p.message);
    return;
  }
  state.failure = f;
}

/** A refusal by the screen's own check, before anything is sent, shown where the backend's refusals are. */
export function refusal(message: string): ApiFailure {
  return new ApiFailure({ code: 'invalid_input', message, field: null, missing: [] });
}

/** A row's save state, shown beside it. */
export type RowSave = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

export function saveText(s: RowSave): string {
  switch (s.kind) {
    case 'idle':
      return '';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return 'Saved';
    case 'failed':
      return 'Not saved';
  }
}

/** Why a row was not saved (shown under it), or null. */
export function failureOf(s: RowSave | undefined): string | null {
  return s?.kind === 'failed' ? s.message : null;
}

/** Saves one row: 'saving' while `work` runs, then 'saved' (and `after`, to tell the page) or 'failed' with why.
 *  Returns whether it was saved, so the row can show the stored value again when it was not. */
export async function saveRow<K extends string>(
  rows: Partial<Record<K, RowSave>>,
  key: K,
  work: () => Promise<void>,
  after: () => Promise<void> | void,
): Promise<boolean> {
  rows[key] = { kind: 'saving' };
  try {
    await work();
  } catch (e) {
    rows[key] = { kind: 'failed', message: toFailure(e).message };
    return false;
  }
  rows[key] = { kind: 'saved' };
  await after();
  return true;
}
