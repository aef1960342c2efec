// The only module that talks to the Rust side: `call` (used by the generated client, lib/commands.ts, one typed
// function per Tauri command), the system dialogs and dropped files. A rejected invoke becomes a thrown ApiFailure
// carrying the backend's stable error code (branch on `code`, never on message text).

import { Channel, invoke } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog';
import type { ApiError } from './bindings/ApiError';
import type { ErrorCode } from './bindings/ErrorCode';

const CODES: readonly ErrorCode[] = [
  'not_found',
  'invalid_input',
  'confirmation_required',
  'conflict',
  'gate_blocked',
  'storage',
  'io',
];

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;
  readonly missing: string[];

  constructor(e: ApiError) {
    super(e.message);
    this.name = 'ApiFailure';
    this.code = e.code;
    this.field = e.field;
    this.missing = e.missing;
  }
}

function isApiError(e: unknown): e is ApiError {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return typeof r.code === 'string' && (CODES as readonly string[]).includes(r.code) && typeof r.message === 'string';
}

/** Any rejection as an ApiFailure: the backend's ApiError as is, anything else (IPC failure) as `io`. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (isApiError(e)) {
    return new ApiFailure({
      code: e.code,
      message: e.message,
      field: typeof e.field === 'string' ? e.field : null,
      missing: Array.isArray(e.missing) ? e.missing.filter((m): m is string => typeof m === 'string') : [],
    });
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Firebreak could not reach its backend.';
  return new ApiFailure({ code: 'io', message, field: null, missing: [] });
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toFailure(e);
  }
}

/** Calls a command that reports as it goes: `onmessage` gets each message the command sends over the Channel it
 *  receives as its `channel` argument, then the promise settles with the command's result. */
export async function callWithChannel<T, M>(
  command: string,
  args: Record<string, unknown>,
  channel: string,
  onmessage: (message: M) => void,
): Promise<T> {
  return call<T>(command, { ...args, [channel]: new Channel<M>(onmessage) });
}

// System file dialogs and files dropped on the window. Paths go to a Tauri command, which reads the file; the
// window itself has no filesystem access.

/** Which files a dialog offers: a name shown to the user and the extensions (no dot). */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export const PDF_FILTER: FileFilter = { name: 'PDF documents', extensions: ['pdf'] };

/** Lets the user pick files; resolves to their paths (empty when cancelled). `filter` names the offered files;
 *  `extensions` alone offers them under their own names. */
export async function pickFiles(options: {
  title: string;
  multiple?: boolean;
  extensions?: string[];
  filter?: FileFilter;
}): Promise<string[]> {
  const { extensions } = options;
  const filter = options.filter ?? (extensions ? { name: extensions.join(', '), extensions } : undefined);
  try {
    const picked = await openDialog({
      title: options.title,
      multiple: options.multiple ?? true,
      directory: false,
      filters: filter ? [filter] : undefined,
    });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  } catch (e) {
    throw toFailure(e);
  }
}

/** Lets the user choose where to save a file; resolves to the path, or null when cancelled. `defaultName` may be a
 *  full path: the dialog then opens in its folder with its file name filled in. */
export async function pickSaveLocation(options: {
  title: string;
  defaultName: string;
  filter?: FileFilter;
}): Promise<string | null> {
  try {
    return await saveDialog({
      title: options.title,
      defaultPath: options.defaultName,
      filters: options.filter ? [options.filter] : undefined,
    });
  } catch (e) {
    throw toFailure(e);
  }
}

/** A point in the page, in CSS pixels (as elementFromPoint takes it). */
export interface PagePoint {
  x: number;
  y: number;
}

export interface DropHandlers {
  /** Files are being dragged over the window at `at`; null when they left it. */
  hover: (at: PagePoint | null) => void;
  /** Files were dropped at `at`. */
  drop: (paths: string[], at: PagePoint) => void;
}

/** Listens for files dragged onto the window; resolves to a function that stops listening. */
export async function onFilesDropped(handlers: DropHandlers): Promise<() => void> {
  const scale = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const point = (p: { x: number; y: number }): PagePoint => ({ x: p.x / scale, y: p.y / scale });
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const e = event.payload;
      if (e.type === 'enter' || e.type === 'over') handlers.hover(point(e.position));
      else if (e.type === 'drop') {
        handlers.hover(null);
        handlers.drop(e.paths, point(e.position));
      } else handlers.hover(null);
    });
  } catch (e) {
    throw toFailure(e);
  }
}
