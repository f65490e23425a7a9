import { loadConfig } from '@jiaxiao/common';
import type { AuditService } from '@jiaxiao/platform';
import type { CoursesRepository } from './courses.repository';
import type { HourLedgerRepository } from './hour-ledger.repository';
import { HourLedgerService } from './hour-ledger.service';

const ledger = (env: Record<string, string>) =>
  new HourLedgerService({} as CoursesRepository, {} as HourLedgerRepository, {} as AuditService, loadConfig(env));

describe('which credits count toward a household’s yearly hours', () => {
  it('parents’ lectures always do; teachers’ training never does', () => {
    const service = ledger({});
    for (const series of ['parents_forum', 'rural_tour', 'school_course'] as const)
      expect(service.countsForHouseholds({ series })).toBe(true);
    expect(service.countsForHouseholds({ series: 'teacher_training' })).toBe(false);
  });

  it('chair training does by default, and not when CHAIR_TRAINING_COUNTS_FOR_HOUSEHOLDS=false', () => {
    expect(ledger({}).countsForHouseholds({ series: 'chair_training' })).toBe(true);
    expect(ledger({ CHAIR_TRAINING_COUNTS_FOR_HOUSEHOLDS: 'false' }).countsForHouseholds({ series: 'chair_training' })).toBe(false);
    expect(ledger({ CHAIR_TRAINING_COUNTS_FOR_HOUSEHOLDS: 'false' }).countsForHouseholds({ series: 'teacher_training' })).toBe(false);
  });
});
