import { FieldProblem } from './domain.error';
import { Language } from './language';

type Template = { zh: string; en: string };

/** Readable messages for the class-validator constraints our DTOs use. {0}, {1} are the constraint's arguments. */
const CONSTRAINTS: Record<string, Template> = {
  isString: { zh: '必须是文本', en: 'must be a string' },
  isNotEmpty: { zh: '不能为空', en: 'must not be empty' },
  isDefined: { zh: '必须填写', en: 'is required' },
  isInt: { zh: '必须是整数', en: 'must be an integer' },
  isNumber: { zh: '必须是数字', en: 'must be a number' },
  isBoolean: { zh: '必须是 true 或 false', en: 'must be true or false' },
  isUuid: { zh: '必须是有效的编号（UUID）', en: 'must be a valid id (UUID)' },
  isIn: { zh: '必须是以下之一：{0}', en: 'must be one of: {0}' },
  isEnum: { zh: '取值无效', en: 'has an invalid value' },
  isDateString: { zh: '必须是 ISO 8601 时间', en: 'must be an ISO 8601 date-time' },
  isISO8601: { zh: '必须是 ISO 8601 时间', en: 'must be an ISO 8601 date-time' },
  maxLength: { zh: '长度不能超过 {0} 个字符', en: 'must be at most {0} characters long' },
  minLength: { zh: '长度不能少于 {0} 个字符', en: 'must be at least {0} characters long' },
  length: { zh: '长度必须在 {0} 到 {1} 个字符之间', en: 'must be between {0} and {1} characters long' },
  min: { zh: '不能小于 {0}', en: 'must not be less than {0}' },
  max: { zh: '不能大于 {0}', en: 'must not be greater than {0}' },
  isArray: { zh: '必须是数组', en: 'must be an array' },
  arrayMaxSize: { zh: '最多 {0} 项', en: 'must have at most {0} items' },
  arrayMinSize: { zh: '至少 {0} 项', en: 'must have at least {0} items' },
  isObject: { zh: '必须是对象', en: 'must be an object' },
  whitelistValidation: { zh: '不是允许的字段', en: 'is not an allowed field' },
  isMobilePhone: { zh: '必须是有效的中国大陆手机号', en: 'must be a valid mainland China mobile number' },
  matches: { zh: '格式不正确', en: 'has the wrong format' },
  nestedValidation: { zh: '内容有误', en: 'has invalid content' },
  body: { zh: '请求体必须是 JSON 对象', en: 'the request body must be a JSON object' },
  noNulCharacter: { zh: '不能包含空字符', en: 'must not contain NUL characters' },
  clientMsgIdReused: {
    zh: '已在另一个会话中使用过，请为每条消息生成新的编号',
    en: 'was already used in another conversation; use a new id for every message',
  },
  halfHours: { zh: '必须是 0.5 的整数倍', en: 'must be a multiple of 0.5' },
  inPlanYear: { zh: '须在课程计划的学年内', en: 'must fall within the plan’s school year' },
  sameSchoolYear: { zh: '不能改到另一个学年', en: 'must stay within the same school year' },
  isUrl: { zh: '必须是有效的网址', en: 'must be a valid URL' },
  withinSessionLength: {
    zh: '学时不能超过讲座时长（本场最多 {0} 学时，1 学时 = 60 分钟）',
    en: 'must not exceed the session length (at most {0} hours for this session)',
  },
  teachersForTeacherTraining: {
    zh: '教师培训（teacher_training）须面向教师（teachers），面向教师的只能是教师培训',
    en: 'teacher_training is for a teachers audience, and a teachers audience only for teacher_training',
  },
  maxRangeDays: { zh: '时间范围最长 {0} 天', en: 'the range may span at most {0} days' },
  isAfterStart: { zh: '必须晚于开始时间', en: 'must be later than the start' },
  isStrongPassword: { zh: '至少 8 位，且须同时包含字母和数字', en: 'must be at least 8 characters and contain both letters and digits' },
  arrayUnique: { zh: '不能有重复项', en: 'must not contain duplicates' },
  requiredToReturn: { zh: '退回时必须填写意见', en: 'is required when returning' },
  requiredToReject: { zh: '不通过时必须填写原因', en: 'is required when rejecting' },
  requiredForScope: { zh: '区县或学校范围必须指定区县或学校', en: 'is required for a district or school scope' },
  readingLogRequired: { zh: '书香之家申报至少需要一条阅读记录', en: 'a reading-family nomination needs at least one reading log entry' },
};

const FALLBACK: Template = { zh: '取值无效', en: 'is invalid' };

export function renderFieldProblem(problem: FieldProblem, language: Language): string {
  const template = CONSTRAINTS[problem.constraint] ?? FALLBACK;
  const args = problem.args ?? [];
  return template[language].replace(/\{(\d+)\}/g, (_, index: string) => {
    const value = args[Number(index)];
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}
