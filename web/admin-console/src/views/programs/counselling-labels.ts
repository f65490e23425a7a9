/** Labels of the counselling screens. */
export const SITE_KIND: Record<string, string> = {
  counselling_room: '心理辅导室',
  growth_station: '成长导航站',
  counselling_centre: '未成年人心理辅导中心',
  hotline: '心理援助热线',
};
export const SITE_SCOPE: Record<string, string> = { school: '学校', district: '区县', city: '全市' };
export const TOPIC: Record<string, string> = {
  emotion: '情绪',
  study: '学习',
  relationship: '人际交往',
  behaviour: '行为习惯',
  family: '亲子与家庭',
  other: '其他',
};
export const REQUEST_STATUS: Record<string, string> = { open: '待处理', accepted: '已预约', closed: '已结束' };
