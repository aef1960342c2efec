// Reading what a screen shows: "Loading…" while it is read, then the data, or why it could not be read with a way
// to try again (components/LoadError.svelte). Screens keep one `LoadState` and read through `read`.

import { toFailure } from './api';

export interface LoadState {
  /** Being read now (the screen shows its "Loading…" line instead of the data). */
  loading: boolean;
  /** Why the last read failed, shown instead of the data with "Try again". */
  error: string | null;
}

/** A screen that has not been read yet. */
export function unread(): LoadState {
  return { loading: true, error: null };
}

/** Runs `work` (which puts what it read into the screen); a failure becomes the state's error. Returns whether it
 *  was read. */
export async function read(state: LoadState, work: () => Promise<void>): Promise<boolean> {
  state.loading = true;
  state.error = null;
  try {
    await work();
    return true;
  } catch (e) {
    state.error = toFailure(e).message;
    return false;
  } finally {
    state.loading = false;
  }
}
