// Colours have one home: the role tokens in app.css. A literal in a component drifts from the rest the first time
// the palette changes, so none is allowed.
import { describe, expect, it } from 'vitest';
import css from '../app.css?raw';

const components = import.meta.glob<string>('../**/*.svelte', { query: '?raw', import: 'default', eager: true });

describe('colour tokens', () => {
  it('no component names a colour literal', () => {
    const files = Object.entries(components);
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap(([file, text]) => [...text.matchAll(/#[0-9a-fA-F]{3,8}\b/g)].map((m) => `${file}: ${m[0]}`));
    expect(found).toEqual([]);
  });

  it('every token a component names is declared in app.css', () => {
    const declared = new Set([...css.matchAll(/^\s*(--[a-z0-9-]+):/gm)].map((m) => m[1]));
    const used = new Set(Object.values(components).flatMap((text) => [...text.matchAll(/var\((--[a-z0-9-]+)\)/g)].map((m) => m[1])));
    expect([...used].filter((t) => !declared.has(t))).toEqual([]);
  });
});
