export const SERIES: Record<string, string> = {
  parents_forum: '父母大讲堂',
  rural_tour: '家庭教育农村行',
  school_course: '家庭教育课',
  chair_training: '家委会主任培训',
};

export const MODE: Record<string, string> = { offline: '线下', live: '直播', replay: '回放', hybrid: '线上线下' };

export const REGISTRATION: Record<string, string> = { registered: '已报名', waitlisted: '候补中', cancelled: '已取消' };

export const LECTURE_STATUS: Record<string, string> = { draft: '未发布', published: '报名中', cancelled: '已取消', finished: '已结束' };
