import { computeIndicator, DEFAULT_RUBRIC } from './rubric';
import type { MetricInputs } from './model-schools.repository';

const inputs: MetricInputs = {
  households: 40,
  compliantHouseholds: 36,
  requiredHours: 8,
  coordinators: 1,
  committeeLevels: 3,
  lecturesHeld: 2,
  supportSites: 0,
  satisfactionResponses: 10,
  satisfactionAverage: 4.5,
  campaignHouseholds: 2,
};
const indicator = (code: string) => {
  const c = DEFAULT_RUBRIC.find((r) => r.code === code)!;
  return computeIndicator({ code: c.code, metric: c.metric!, weight: c.weight, target: c.target ?? null }, inputs);
};

describe('the default rubric', () => {
  it('weighs 100 points, automatic items naming a metric', () => {
    expect(DEFAULT_RUBRIC.reduce((s, r) => s + r.weight, 0)).toBe(100);
    expect(DEFAULT_RUBRIC.every((r) => (r.kind === 'auto') === Boolean(r.metric))).toBe(true);
  });

  it('earns full points at the target and in proportion below it, keeping its inputs', () => {
    expect(indicator('course_hours')).toEqual({
      code: 'course_hours',
      metric: 'course_hour_compliance',
      ratio: 1,
      points: 20,
      inputs: { households: 40, compliantHouseholds: 36, requiredHours: 8, rate: 0.9 },
    });
    expect(indicator('lectures')).toEqual(expect.objectContaining({ ratio: 0.5, points: 5 }));
    expect(indicator('support_sites')).toEqual(expect.objectContaining({ ratio: 0, points: 0, inputs: { supportSites: 0 } }));
    expect(indicator('satisfaction')).toEqual(expect.objectContaining({ ratio: 0.9, points: 13.5 }));
    expect(indicator('campaigns')).toEqual(
      expect.objectContaining({ ratio: 0.5, points: 2.5, inputs: { households: 40, participatingHouseholds: 2, rate: 0.05 } }),
    );
  });

  it('gives nothing for a school without households or survey answers', () => {
    const empty = { ...inputs, households: 0, compliantHouseholds: 0, satisfactionResponses: 0, satisfactionAverage: null };
    const c = DEFAULT_RUBRIC.find((r) => r.code === 'satisfaction')!;
    expect(computeIndicator({ code: c.code, metric: c.metric!, weight: c.weight, target: c.target ?? null }, empty).points).toBe(0);
  });
});
