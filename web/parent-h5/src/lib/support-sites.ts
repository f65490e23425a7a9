/** The names of the support-site kinds, as parents read them. */
export const SITE_KIND: Record<string, string> = {
  counselling_room: '心理辅导室',
  growth_station: '成长导航站',
  counselling_centre: '未成年人心理辅导中心',
  hotline: '心理援助热线',
};
