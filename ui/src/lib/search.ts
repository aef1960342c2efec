// The search's logic: where a hit opens, and a snippet's parts made safe to show (as text: control and direction
// characters shown as escapes, line breaks as ⏎). Highlighting is a `<mark>` around a part's text, never markup
// taken from the text.

import type { SearchHit } from './bindings/SearchHit';
import type { SnippetPart } from './bindings/SnippetPart';
import { oneLine } from './investigation';

/** The tab of the incident page that shows a hit, and the step to open there. */
export interface HitTarget {
  tab: string;
  step: number | null;
}

export function hitTarget(hit: SearchHit): HitTarget {
  if (hit.step !== null) return { tab: 'investigation', step: hit.step };
  // The record's own fields and overrides (of no one phase) are on the Record tab.
  return { tab: hit.phase ?? 'record', step: null };
}

/** A snippet's parts on one line, each escaped on its own so an escape never joins two parts. */
export function snippetParts(parts: SnippetPart[]): SnippetPart[] {
  return parts.map((p) => ({ text: oneLine(p.text), hit: p.hit })).filter((p) => p.text !== '');
}

/** The search as typed is worth sending: something other than spaces. */
export function isSearchable(query: string): boolean {
  return query.trim() !== '';
}
