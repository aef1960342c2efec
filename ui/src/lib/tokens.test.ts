// Colours have one home: the role tokens in app.css. A literal in a component drifts from the rest the first time
// the palette changes, so none is allowed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return name.endsWith('.svelte') ? [path] : [];
  });
}

describe('colour tokens', () => {
  it('no component names a colour literal', () => {
    const files = svelteFiles(root);
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/#[0-9a-fA-F]{3,8}\b/g)].map((m) => `${f.slice(root.length + 1)}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });

  it('every token a component names is declared in app.css', () => {
    const css = readFileSync(join(root, 'app.css'), 'utf8');
    const declared = new Set([...css.matchAll(/^\s*(--[a-z0-9-]+):/gm)].map((m) => m[1]));
    const used = new Set(
      svelteFiles(root).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/var\((--[a-z0-9-]+)\)/g)].map((m) => m[1])),
    );
    expect([...used].filter((t) => !declared.has(t))).toEqual([]);
  });
});
