export const SERIES: Record<string, string> = {
  parents_forum: '父母大讲堂',
  rural_tour: '家庭教育农村行',
  school_course: '家庭教育课',
  chair_training: '家委会主任培训',
};

export const MODE: Record<string, string> = { offline: '线下', live: '直播', replay: '回放', hybrid: '线上线下' };

export const REGISTRATION: Record<string, string> = { registered: '已报名', waitlisted: '候补中', cancelled: '已取消' };

export const LECTURE_STATUS: Record<string, string> = { draft: '未发布', published: '报名中', cancelled: '已取消', finished: '已结束' };

export const MAILBOX_KIND: Record<string, string> = { complaint: '投诉', suggestion: '建议', report: '举报' };

export const MAILBOX_TOPIC: Record<string, string> = {
  paid_tutoring: '有偿家教',
  fees: '收费',
  teaching: '教学',
  safety: '安全',
  canteen: '食堂',
  other: '其他',
};

export const MAILBOX_LEVEL: Record<string, string> = { school: '学校', district: '区县教育局', city: '市教育局' };

export const MATERIAL_KIND: Record<string, string> = { slides: '课件', handout: '讲义', other: '资料' };

export const AWARD: Record<string, string> = { first: '一等奖', second: '二等奖', third: '三等奖', reading_family: '书香之家' };
