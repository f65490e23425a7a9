import type { AutoMetric, IndicatorKind, MetricSnapshot } from '@jiaxiao/db';
import type { MetricInputs } from './model-schools.repository';

export interface IndicatorSpec {
  code: string;
  name: string;
  description?: string;
  kind: IndicatorKind;
  metric?: AutoMetric;
  weight: number;
  target?: number;
}

/**
 * The default rubric, after the published 家庭教育示范学校 criteria: weights in points (100 in
 * all); automatic items earn their weight in proportion to the target reached; manual items are
 * scored by city experts against the school's materials and a visit.
 */
export const DEFAULT_RUBRIC: IndicatorSpec[] = [
  {
    code: 'course_hours',
    name: '家长学校学时达标率',
    description: '达到年度学时要求的家庭占比，80% 及以上得满分',
    kind: 'auto',
    metric: 'course_hour_compliance',
    weight: 20,
    target: 0.8,
  },
  {
    code: 'coordinator',
    name: '配备家庭教育总协调员',
    description: '学校设有家庭教育总协调员',
    kind: 'auto',
    metric: 'coordinator_appointed',
    weight: 5,
    target: 1,
  },
  {
    code: 'committees',
    name: '三级家长委员会',
    description: '班级、年级、学校三级家委会健全',
    kind: 'auto',
    metric: 'committees_three_levels',
    weight: 10,
    target: 3,
  },
  {
    code: 'lectures',
    name: '家长课程与讲座',
    description: '本学年举办家长课程或家庭教育讲座不少于 4 场',
    kind: 'auto',
    metric: 'lectures_held',
    weight: 10,
    target: 4,
  },
  {
    code: 'support_sites',
    name: '心理辅导室或成长导航站',
    description: '设立并公布开放时间和联系方式',
    kind: 'auto',
    metric: 'support_site_listed',
    weight: 5,
    target: 1,
  },
  {
    code: 'satisfaction',
    name: '家长满意度',
    description: '家长满意度调查平均分（5 分制）',
    kind: 'auto',
    metric: 'parent_satisfaction',
    weight: 15,
    target: 5,
  },
  {
    code: 'campaigns',
    name: '家庭参与主题活动',
    description: '参与家风家训故事、书香之家等活动的家庭占比，10% 及以上得满分（自愿参与）',
    kind: 'auto',
    metric: 'campaign_participation',
    weight: 5,
    target: 0.1,
  },
  { code: 'documents', name: '制度建设与档案资料', description: '家庭教育工作制度、计划、总结与过程资料', kind: 'manual', weight: 15 },
  { code: 'site_visit', name: '实地考察与特色成效', description: '专家实地考察，特色做法与工作成效', kind: 'manual', weight: 15 },
];

const round2 = (n: number) => Math.round(n * 100) / 100;
const share = (value: number, target: number | null | undefined) =>
  target && target > 0 ? Math.min(1, value / target) : value > 0 ? 1 : 0;

/** One automatic indicator from the inputs, keeping the inputs it used. */
export function computeIndicator(
  criterion: { code: string; metric: AutoMetric; weight: number; target: number | null },
  inputs: MetricInputs,
): MetricSnapshot {
  let ratio: number;
  let used: MetricSnapshot['inputs'];
  switch (criterion.metric) {
    case 'course_hour_compliance': {
      const rate = inputs.households ? inputs.compliantHouseholds / inputs.households : 0;
      ratio = share(rate, criterion.target);
      used = {
        households: inputs.households,
        compliantHouseholds: inputs.compliantHouseholds,
        requiredHours: inputs.requiredHours,
        rate: round2(rate),
      };
      break;
    }
    case 'coordinator_appointed':
      ratio = inputs.coordinators > 0 ? 1 : 0;
      used = { coordinators: inputs.coordinators };
      break;
    case 'committees_three_levels':
      ratio = share(inputs.committeeLevels, criterion.target ?? 3);
      used = { committeeLevels: inputs.committeeLevels };
      break;
    case 'lectures_held':
      ratio = share(inputs.lecturesHeld, criterion.target);
      used = { lecturesHeld: inputs.lecturesHeld };
      break;
    case 'support_site_listed':
      ratio = inputs.supportSites > 0 ? 1 : 0;
      used = { supportSites: inputs.supportSites };
      break;
    case 'parent_satisfaction':
      ratio = inputs.satisfactionAverage === null ? 0 : share(inputs.satisfactionAverage, criterion.target ?? 5);
      used = {
        responses: inputs.satisfactionResponses,
        average: inputs.satisfactionAverage === null ? null : round2(inputs.satisfactionAverage),
      };
      break;
    case 'campaign_participation': {
      const rate = inputs.households ? inputs.campaignHouseholds / inputs.households : 0;
      ratio = share(rate, criterion.target);
      used = { households: inputs.households, participatingHouseholds: inputs.campaignHouseholds, rate: round2(rate) };
      break;
    }
  }
  return { code: criterion.code, metric: criterion.metric, ratio: round2(ratio), points: round2(ratio * criterion.weight), inputs: used };
}

export { round2 };
