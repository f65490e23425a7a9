/**
 * Every stable error code the platform returns, its HTTP status and its message in
 * Chinese (default) and English. Messages may carry {placeholders} filled from the error's params.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'The request has invalid fields' },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式有误：{detail}', en: 'The request is malformed: {detail}' },
  BAD_REQUEST: { status: 400, zh: '请求无效', en: 'Bad request' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误', en: 'Wrong phone number or password' },
  ACCOUNT_NOT_ACTIVATED: { status: 401, zh: '账号尚未激活，请联系学校', en: 'This account has not been activated; contact the school' },
  ACCOUNT_DISABLED: { status: 401, zh: '账号已停用', en: 'This account is disabled' },
  TOKEN_INVALID: { status: 401, zh: '登录凭证无效或已过期', en: 'The token is invalid or has expired' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    zh: '登录凭证已被使用过，为安全起见该会话已退出，请重新登录',
    en: 'This refresh token was already used; the session has been signed out for safety',
  },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  ADMIN_ROLE_REQUIRED: {
    status: 403,
    zh: '管理后台仅限学校和教育局工作人员使用',
    en: 'The admin API is for school and education bureau staff only',
  },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在：{route}', en: 'No such route: {route}' },
  STUDENT_NOT_FOUND: { status: 404, zh: '找不到该学生', en: 'Student not found' },
  CLASS_NOT_FOUND: { status: 404, zh: '找不到该班级', en: 'Class not found' },
  SCHOOL_NOT_FOUND: { status: 404, zh: '找不到该学校', en: 'School not found' },
  DISTRICT_NOT_FOUND: { status: 404, zh: '找不到该区县', en: 'District not found' },
  USER_NOT_FOUND: { status: 404, zh: '找不到该用户', en: 'User not found' },
  SCHOOL_YEAR_NOT_FOUND: { status: 404, zh: '找不到该学年', en: 'School year not found' },
  IMPORT_NOT_FOUND: { status: 404, zh: '找不到该导入任务', en: 'Import not found' },
  ROLE_ASSIGNMENT_NOT_FOUND: { status: 404, zh: '找不到该任职记录', en: 'Role assignment not found' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已被其他账号使用', en: 'This phone number belongs to another account' },
  CLASS_EXISTS: { status: 409, zh: '该学年已有同名班级', en: 'A class with this name already exists in that school year' },
  SCHOOL_EXISTS: { status: 409, zh: '已有同名学校', en: 'A school with this name already exists' },
  SCHOOL_YEAR_EXISTS: { status: 409, zh: '该学年已存在', en: 'This school year already exists' },
  ROLE_ASSIGNMENT_EXISTS: { status: 409, zh: '该用户已有此任职', en: 'The user already holds this role' },
  ROLE_SCOPE_MISMATCH: {
    status: 400,
    zh: '角色 {role} 的范围必须是 {scopeType}',
    en: 'Role {role} must be scoped to a {scopeType}',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  FILE_REQUIRED: { status: 400, zh: '请上传文件', en: 'A file is required' },
  FILE_TYPE_UNSUPPORTED: {
    status: 415,
    zh: '只支持 Excel（.xlsx）或 CSV 文件',
    en: 'Only Excel (.xlsx) or CSV files are accepted',
  },
  FILE_UNREADABLE: { status: 400, zh: '文件无法读取：{detail}', en: 'The file cannot be read: {detail}' },
  TOO_MANY_LOGIN_ATTEMPTS: {
    status: 429,
    zh: '登录失败次数过多，请 {minutes} 分钟后再试',
    en: 'Too many failed logins; try again in {minutes} minutes',
  },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  INTERNAL_ERROR: {
    status: 500,
    zh: '服务器内部错误，请稍后再试（编号 {requestId}）',
    en: 'Internal server error; please try again later (reference {requestId})',
  },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export type Language = 'zh' | 'en';

/** Picks the language from an Accept-Language header: English when it prefers English, Chinese otherwise. */
export function languageFrom(acceptLanguage: string | string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('zh')) return 'zh';
  }
  return 'zh';
}

export function renderMessage(code: ErrorCode, language: Language, params: Record<string, unknown> = {}): string {
  const template: string = ERROR_CATALOG[code][language];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
