// One change made from a screen: busy while it runs, then a notice, an error on one field, or a failure with what
// is missing. Screens keep one `ActionState` and run every change through `perform`.

import { toFailure, type ApiFailure } from './api';

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

/** Runs `work` (its text, if any, becomes the notice), then `after` (reload, tell the page). Returns whether the
 * change went through. */
export async function perform(
  state: ActionState,
  work: () => Promise<string | null | void>,
  after: () => Promise<void> | void,
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
    const f = toFailure(e);
    if (f.code === 'invalid_input' && f.field) state.errors = { [f.field]: f.message };
    else state.failure = f;
    return false;
  } finally {
    state.busy = false;
  }
}
