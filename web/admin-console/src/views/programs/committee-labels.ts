export const LEVEL: Record<string, string> = { class: '班级家委会', grade: '年级家委会', school: '校级家委会' };
export const SEAT: Record<string, string> = { chair: '主任', vice_chair: '副主任', secretary: '秘书', member: '委员' };
export const CHARTER: Record<string, string> = {
  school_management: '参与学校管理',
  home_school_communication: '家校沟通',
  parent_school: '组织家长学校',
  oversight_canteen: '民主监督（食堂）',
  oversight_uniforms: '民主监督（校服）',
  oversight_materials: '民主监督（教辅材料）',
  volunteering: '志愿服务',
};
