// Containment checklist.

import { call } from '../api';
import type { Choice } from '../bindings/Choice';
import type { ContainmentArea } from '../bindings/ContainmentArea';
import type { ContainmentItem } from '../bindings/ContainmentItem';
import type { ContainmentLine } from '../bindings/ContainmentLine';
import type { ContainmentStatus } from '../bindings/ContainmentStatus';

export const containmentStatuses = (): Promise<Choice[]> => call('containment_statuses');
export const listContainment = (id: string): Promise<ContainmentLine[]> => call('list_containment', { id });
export const setContainment = (
  id: string,
  area: ContainmentArea,
  status: ContainmentStatus,
  note: string | null,
): Promise<ContainmentItem> => call('set_containment', { id, area, status, note });
