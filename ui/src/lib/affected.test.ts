import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  countActive,
  countEntries,
  draftProblems,
  emptyFilters,
  filterKey,
  isFiltered,
  nextSort,
  pasteProblem,
  toggleCount,
  toQuery,
} from './affected';

describe('filters and query', () => {
  it('builds a page query from the filters', () => {
    const f = { ...emptyFilters(), system: 'ERP', action: 'changed' as const, text: '  inv-1 ' };
    expect(toQuery(f, 400, 200)).toEqual({
      system: 'ERP',
      action: 'changed',
      status: null,
      recovery_action: null,
      undecided: false,
      text: 'inv-1',
      sort: 'occurred_at',
      direction: 'asc',
      offset: 400,
      limit: 200,
    });
  });

  it('gives the same key to the same table and a new one when filters or sort change', () => {
    const f = emptyFilters();
    expect(filterKey({ ...f, text: 'Inv ' })).toBe(filterKey({ ...f, text: 'inv' }));
    expect(filterKey({ ...f, status: 'open' })).not.toBe(filterKey(f));
    expect(filterKey({ ...f, direction: 'desc' })).not.toBe(filterKey(f));
  });

  it('flips the direction on the sorted column and sorts another one ascending', () => {
    const f = emptyFilters();
    expect(nextSort(f, 'occurred_at')).toEqual({ sort: 'occurred_at', direction: 'desc' });
    expect(nextSort({ ...f, direction: 'desc' }, 'occurred_at')).toEqual({ sort: 'occurred_at', direction: 'asc' });
    expect(nextSort({ ...f, direction: 'desc' }, 'system')).toEqual({ sort: 'system', direction: 'asc' });
    expect(ariaSort(f, 'occurred_at')).toBe('ascending');
    expect(ariaSort(f, 'system')).toBe('none');
  });

  it('knows when the table is narrowed', () => {
    expect(isFiltered(emptyFilters())).toBe(false);
    expect(isFiltered({ ...emptyFilters(), sort: 'system' })).toBe(false);
    expect(isFiltered({ ...emptyFilters(), text: ' x ' })).toBe(true);
    expect(isFiltered({ ...emptyFilters(), undecided: true })).toBe(true);
  });
});

describe('pasteProblem', () => {
  const header = 'system\tobject_type\tobject_id\taction';

  it('accepts a header row and rows separated by tabs, with Windows line ends and spreadsheet labels', () => {
    expect(pasteProblem(`${header}\r\nERP\tinvoice\tINV-1\tchanged\r\n`)).toBeNull();
    expect(pasteProblem('System\tObject type\tObject-ID\tAction\nERP\tinvoice\t1\tread')).toBeNull();
  });

  it('asks for the rows when nothing or only the header was pasted', () => {
    expect(pasteProblem('  \n')).toMatch(/Paste the rows/);
    expect(pasteProblem(header)).toMatch(/Only the header row/);
  });

  it('points to the CSV import for comma-separated text', () => {
    expect(pasteProblem('system,object_type,object_id,action\na,b,c,read')).toMatch(/comma-separated/);
  });

  it('names the required columns the header lacks', () => {
    expect(pasteProblem('system\tobject_id\nERP\t1')).toMatch(/lacks object_type, action/);
  });
});

describe('countEntries', () => {
  it('labels counts and names the empty key', () => {
    expect(countEntries([['changed', 3], ['', 1]], (k) => k.toUpperCase())).toEqual([
      { key: 'changed', label: 'CHANGED', n: 3 },
      { key: '', label: '(none)', n: 1 },
    ]);
  });
});

describe('counts as filters', () => {
  it('filters by a clicked count and stops on a second click, leaving the other groups', () => {
    const byErp = toggleCount({ ...emptyFilters(), status: 'open' }, 'system', 'ERP');
    expect([byErp.system, byErp.status]).toEqual(['ERP', 'open']);
    expect(countActive(byErp, 'system', 'ERP')).toBe(true);
    expect(countActive(byErp, 'action', 'ERP')).toBe(false);
    expect(toggleCount(byErp, 'system', 'ERP').system).toBeNull();
    expect(toggleCount(byErp, 'action', 'sent')).toMatchObject({ system: 'ERP', action: 'sent' });
  });
});

describe('an object added by hand', () => {
  it('needs its system, type and ID', () => {
    expect(Object.keys(draftProblems({ system: ' ', object_type: '', object_id: '' }))).toEqual([
      'system',
      'object_type',
      'object_id',
    ]);
    expect(draftProblems({ system: 'ERP', object_type: 'invoice', object_id: 'INV-1' })).toEqual({});
  });
});
