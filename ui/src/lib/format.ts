// Small formatting helpers shared by the phase screens.

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'];

/** "512 bytes", "1.5 KB", "12 MB" (1 KB = 1024 bytes). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** The first characters of a hash, enough to tell files apart at a glance ("3a7bd3e2…"). */
export function shortHash(hash: string, length = 12): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

/** 100000 → "100,000". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 object", "2 objects". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The label of `key` in a choice list, or the key itself when it is not in the list. */
export function labelIn(choices: readonly { key: string; label: string }[], key: string | null | undefined): string {
  if (key === null || key === undefined || key === '') return '';
  return choices.find((c) => c.key === key)?.label ?? key;
}

/** Calls `fn` once calls have stopped for `ms`; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const wrapped = (...args: A) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}
